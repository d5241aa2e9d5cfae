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
}

export function dispose(element) {
    observers.get(element)?.disconnect();
    charts.get(element)?.dispose();
    charts.delete(element);
    observers.delete(element);
}
