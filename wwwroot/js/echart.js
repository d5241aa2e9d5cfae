// One small interop module for every chart: Blazor hands over an ECharts option object and the MudBlazor palette of the
// current mode, this renders it. Every chart gets ECharts' aria description (a text alternative read by screen readers).
const charts = new WeakMap();
const observers = new WeakMap();
const palettes = new WeakMap();

export function render(element, option, palette, description) {
    let chart = charts.get(element);
    const theme = themeName(palette);
    if (chart && palettes.get(element) !== theme) {
        dispose(element);
        chart = undefined;
    }
    if (!chart) {
        chart = echarts.init(element, theme, { renderer: 'canvas' });
        charts.set(element, chart);
        palettes.set(element, theme);
        const observer = new ResizeObserver(() => chart.resize());
        observer.observe(element);
        observers.set(element, observer);
    }
    option.aria = Object.assign({ enabled: true }, option.aria || {});
    if (description) option.aria.label = Object.assign({ description }, option.aria.label || {});
    chart.setOption(option, { notMerge: true });
    element.dataset.rendered = String((Number(element.dataset.rendered) || 0) + 1);
    element.dataset.points = String(countPoints(option.series));
    element.dataset.forecastPoints = String(countPoints(option.series, isForecast));
    element.dataset.theme = theme;
}

export function dispose(element) {
    observers.get(element)?.disconnect();
    charts.get(element)?.dispose();
    charts.delete(element);
    observers.delete(element);
    palettes.delete(element);
}

// Live charts: append [x, y] points to named series without resending what the chart already has.
// `batches` is [{ name, points: [[x, y], ...], times?: [unix ms] }]; data-points on the element counts every point the chart
// holds (data-forecast-points those of forecast series), data-appended the appends; window.plawLatencies collects how late each timed point arrived.
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
    element.dataset.forecastPoints = String(countPoints(option.series, isForecast));
    element.dataset.appended = String((Number(element.dataset.appended) || 0) + 1);
    return true;
}

function countPoints(series, which = () => true) {
    return (Array.isArray(series) ? series : series ? [series] : []).filter(which).reduce((n, s) => n + (s.data ? s.data.length : 0), 0);
}

function isForecast(series) {
    return typeof series.name === 'string' && series.name.startsWith('forecast');
}

// An ECharts theme made from the dashboard's MudBlazor palette, registered once per mode.
const registered = new Set();
function themeName(palette) {
    if (!palette) return null;
    const name = palette.dark ? 'plaw-dark' : 'plaw-light';
    if (registered.has(name)) return name;
    const axis = {
        axisLine: { lineStyle: { color: palette.axis } },
        axisTick: { lineStyle: { color: palette.axis } },
        axisLabel: { color: palette.textSecondary },
        nameTextStyle: { color: palette.text },
        splitLine: { lineStyle: { color: palette.split } },
    };
    echarts.registerTheme(name, {
        color: palette.series,
        backgroundColor: 'transparent',
        textStyle: { color: palette.text },
        title: { textStyle: { color: palette.text }, subtextStyle: { color: palette.textSecondary } },
        legend: { textStyle: { color: palette.text }, pageTextStyle: { color: palette.text } },
        categoryAxis: axis, valueAxis: axis, logAxis: axis, timeAxis: axis,
        visualMap: { textStyle: { color: palette.text } },
        tooltip: { backgroundColor: palette.surface, borderColor: palette.axis, textStyle: { color: palette.text } },
    });
    registered.add(name);
    return name;
}
