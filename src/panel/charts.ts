// Horizontal bar charts in SVG: one bar per state, its label and count above it. Bar widths are percentages of the
// chart's own width, so the chart fits any panel width without measuring; colours come from the theme via CSS
// classes, so a theme switch recolours it without redrawing.
import { h, svg } from './dom';
import type { StateBar } from './view-model';
import { count } from './words';

const ROW_HEIGHT = 30;
const LABEL_BASELINE = 13;
const BAR_TOP = 17;
const BAR_HEIGHT = 9;

export interface StateChartOptions {
  id: string;
  title: string;
  /** What one unit is: "socket", "thread". */
  unit: string;
  bars: readonly StateBar[];
  /** The state to set apart (CLOSE_WAIT for sockets). */
  highlight?: string;
  highlightNote?: string;
}

export function stateChart(options: StateChartOptions): HTMLElement {
  const { bars } = options;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const description = bars.map((b) => `${b.state} ${count(b.count)}`).join(', ');
  const titleId = `${options.id}-title`;
  const chart = svg(
    'svg',
    {
      class: 'chart',
      attrs: {
        width: '100%',
        height: Math.max(ROW_HEIGHT, bars.length * ROW_HEIGHT),
        role: 'img',
        'aria-labelledby': titleId,
        'data-chart': options.id,
      },
    },
    svg('title', { id: titleId, text: `${options.title}: ${description || 'none'}` }),
  );
  bars.forEach((bar, k) => {
    const highlighted = bar.state === options.highlight;
    const y = k * ROW_HEIGHT;
    const label = highlighted && options.highlightNote ? `${bar.state}  ${count(bar.count)}  (${options.highlightNote})` : `${bar.state}  ${count(bar.count)}`;
    chart.append(
      svg('text', { class: highlighted ? 'chart-label is-highlight' : 'chart-label', text: label, attrs: { x: 0, y: y + LABEL_BASELINE } }),
      svg('rect', { class: 'chart-track', attrs: { x: 0, y: y + BAR_TOP, width: '100%', height: BAR_HEIGHT, rx: 2 } }),
      svg('rect', {
        class: highlighted ? 'chart-bar is-highlight' : 'chart-bar',
        attrs: {
          x: 0,
          y: y + BAR_TOP,
          // A bar of 1 among 4,000 would vanish: every non-empty state stays visible.
          width: `${Math.max(0.75, (bar.count / max) * 100).toFixed(2)}%`,
          height: BAR_HEIGHT,
          rx: 2,
          'data-state': bar.state,
          'data-count': bar.count,
        },
      }),
    );
  });
  const total = bars.reduce((n, b) => n + b.count, 0);
  return h(
    'figure',
    { class: 'chart-figure', attrs: { 'data-chart-figure': options.id } },
    h('figcaption', { text: `${options.title} (${count(total)} ${total === 1 ? options.unit : `${options.unit}s`})` }),
    bars.length > 0 ? chart : h('p', { class: 'muted', text: `No ${options.unit}s in the paste.` }),
  );
}
