// One small interop module for every chart: Blazor hands over an ECharts option object, this renders it.
const charts = new WeakMap();
const observers = new WeakMap();

export function render(element, option) {
    let chart = charts.get(element);
    if (!chart) {
        chart = echarts.init(element, null, { renderer: 'canvas' });
        charts.set(element, chart);
        const observer = new ResizeObserver(() => chart.resize());
        observer.observe(element);
        observers.set(element, observer);
    }
    chart.setOption(option, { notMerge: true });
    element.dataset.rendered = String((Number(element.dataset.rendered) || 0) + 1);
    element.dataset.points = String(countPoints(option.series));
}

export function dispose(element) {
    observers.get(element)?.disconnect();
    charts.get(element)?.dispose();
    charts.delete(element);
    observers.delete(element);
}

// Live charts: append [x, y] points to named series without resending what the chart already has.
// `batches` is [{ name, points: [[x, y], ...], times?: [unix ms] }]; data-points on the element counts every point the chart
// holds, data-appended the appends; window.plawLatencies collects how late each timed point arrived.
export function append(element, batches) {
    const chart = charts.get(element);
    if (!chart) return false;
    const option = chart.getOption();
    for (const batch of batches) {
        const series = option.series.find(s => s.name === batch.name);
        if (!series) continue;
        for (const point of batch.points) series.data.push(point);
        if (batch.times) {
            const now = Date.now();
            window.plawLatencies = window.plawLatencies || [];
            for (const t of batch.times) window.plawLatencies.push(now - t);
        }
    }
    chart.setOption({ series: option.series.map(s => ({ name: s.name, data: s.data })) });
    element.dataset.points = String(countPoints(option.series));
    element.dataset.appended = String((Number(element.dataset.appended) || 0) + 1);
    return true;
}

function countPoints(series) {
    return (Array.isArray(series) ? series : series ? [series] : []).reduce((n, s) => n + (s.data ? s.data.length : 0), 0);
}
