/**
 * Chart.js with only the pieces the reports draw (bar and line charts on category and linear
 * axes, tooltips, legend). Imported lazily by `Chart.svelte`, so Chart.js stays out of the
 * bundle of every page that does not show a chart.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend
);
Chart.defaults.font.family =
  getComputedStyle(document.documentElement).getPropertyValue('--font') || 'system-ui, sans-serif';
Chart.defaults.color = '#1b2430';

export { Chart };
