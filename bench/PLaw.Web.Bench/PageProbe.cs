using System.Text.Json;

/// <summary>
/// A script installed in every fresh browser context before the page's own scripts. It times, on the page's own clock
/// (performance.now(): milliseconds since navigation start), when
///   wsOpen      the Blazor circuit's WebSocket (/_blazor) opened;
///   circuit     the first render batch arrived over it: the circuit is live and has rendered the interactive page — this is
///               "circuit start-up", the same event in every Blazor Server build whatever its layout;
///   interactive the layout's #plaw-interactive marker appeared (both releases render it once interactive; the MudBlazor layout
///               only after it has read the theme, one more round trip);
///   rowsInDom   a data row of the runs table is in the document and visible;
///   rows        the next animation frame after that: the frame that paints it (the figure reported as "first rows").
/// A data row is an element matching one of the given CSS selectors, or else any table row that holds a link to a run
/// (/runs/&lt;id&gt;) or carries data-run-id: the Radzen grid and a MudBlazor grid both qualify, loading placeholders and
/// the header do not.
/// </summary>
internal static class PageProbe
{
    public static string Script(IReadOnlyList<string> rowSelectors) => """
        (() => {
          const selectors = __SELECTORS__;
          const marks = {};
          const mark = (name, at) => { if (marks[name] === undefined) marks[name] = at ?? performance.now(); };
          window.__plawBench = { marks };

          const Native = window.WebSocket;
          const needle = new TextEncoder().encode('JS.RenderBatch');
          const holds = (bytes) => {
            outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
              for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
              return true;
            }
            return false;
          };
          let batches = 0;
          class ProbedWebSocket extends Native {
            constructor(url, protocols) {
              super(url, protocols);
              if (!String(url).includes('_blazor')) return;
              this.addEventListener('open', () => mark('wsOpen'));
              this.addEventListener('message', (e) => {
                const at = performance.now();
                const data = e.data;
                const batch = () => { batches++; mark(batches === 1 ? 'circuit' : 'batch' + batches, at); };
                if (batches >= 4) return;
                if (typeof data === 'string') { if (data.includes('JS.RenderBatch')) batch(); }
                else if (data instanceof ArrayBuffer) { if (holds(new Uint8Array(data))) batch(); }
                else if (data instanceof Blob) data.arrayBuffer().then((b) => { if (holds(new Uint8Array(b))) batch(); });
              });
            }
          }
          window.WebSocket = ProbedWebSocket;

          const visible = (el) => el && el.getClientRects().length > 0 &&
            (typeof el.checkVisibility !== 'function' || el.checkVisibility({ visibilityProperty: true, opacityProperty: true }));
          const findRow = () => {
            for (const selector of selectors) {
              for (const el of document.querySelectorAll(selector)) if (visible(el)) return el;
            }
            if (selectors.length > 0) return null;
            for (const a of document.querySelectorAll('table tr a[href]')) {
              if (/^\/runs\/\d+$/.test(a.pathname)) { const row = a.closest('tr'); if (visible(row)) return row; }
            }
            for (const row of document.querySelectorAll('table tr[data-run-id]')) if (visible(row)) return row;
            return null;
          };
          const check = () => {
            if (marks.interactive === undefined && document.getElementById('plaw-interactive')) mark('interactive');
            const row = marks.rowsInDom === undefined ? findRow() : null;
            if (row) {
              mark('rowsInDom');
              window.__plawBench.row = row.textContent.replace(/\s+/g, ' ').trim().slice(0, 120);
              requestAnimationFrame(() => mark('rows'));
            }
            if (marks.interactive !== undefined && marks.rowsInDom !== undefined) observer.disconnect();
          };
          const observer = new MutationObserver(check);
          observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
          document.addEventListener('DOMContentLoaded', check);

          window.__plawBench.result = () => {
            const nav = performance.getEntriesByType('navigation')[0];
            return Object.assign({}, marks, nav ? {
              responseStart: nav.responseStart, responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd,
            } : {});
          };
          // Done when rows are painted and the circuit is live; the marker is waited for up to 10 s more (a layout without it).
          window.__plawBench.done = () => marks.rows !== undefined && marks.circuit !== undefined &&
            (marks.interactive !== undefined || performance.now() - Math.max(marks.rows, marks.circuit) > 10000);
        })();
        """.Replace("__SELECTORS__", JsonSerializer.Serialize(rowSelectors));
}
