/** The trainer's one-line status, e.g. `update 12/48  49,152 steps  611 sps | 87 ep  return 12.3  len 160  lap 0.41 | ...`. */
import type { TrainStatus } from './trainer.ts';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const num = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));

export function formatStatus(s: TrainStatus): string {
  const parts = [
    `update ${s.update}/${s.updates}  ${s.globalStep.toLocaleString('en-US')} steps  ${Math.round(s.sps)} sps`,
    [`${s.episodes} ep`, `return ${num(s.recentReturn)}`, `len ${num(s.recentLength, 0)}`, ...Object.entries(s.recentInfo).map(([k, v]) => `${k} ${num(v)}`)].join('  '),
  ];
  if (s.evaluation) {
    const extra = Object.entries(s.evaluation).filter(([k]) => k !== 'eval_return' && k !== 'eval_length' && k !== 'eval_progress');
    parts.push([`eval ${num(s.evaluation.eval_return)}`, ...extra.map(([k, v]) => `${k.slice(5)} ${v}`)].join('  '));
  }
  if (s.stats) {
    const t = s.stats;
    parts.push(`pg ${t.policyLoss.toFixed(3)}  v ${t.valueLoss.toFixed(3)}  ent ${t.entropy.toFixed(2)}  kl ${t.approxKl.toFixed(4)}`);
  }
  parts.push(`${formatDuration(s.secondsLeft)} left`);
  return parts.join(' | ');
}
