/** A small bar chart as inline SVG: no chart library, readable without colour (values are labelled). */
export function BarChart({
  title,
  bars,
  height = 180,
}: {
  title: string;
  bars: { label: string; value: number; display: string }[];
  height?: number;
}) {
  const width = Math.max(320, bars.length * 64);
  const top = 18;
  const bottom = 22;
  const max = Math.max(1, ...bars.map((b) => Math.abs(b.value)));
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.min(40, slot * 0.6);
  return (
    <svg
      className="fin-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.display}`).join(', ')}`}
    >
      <title>{title}</title>
      <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} stroke="#9ca3af" />
      {bars.map((bar, index) => {
        const h = ((height - top - bottom) * Math.max(0, bar.value)) / max;
        const x = index * slot + (slot - barWidth) / 2;
        const y = height - bottom - h;
        return (
          <g key={bar.label}>
            <rect x={x} y={y} width={barWidth} height={h} fill="#2563eb" rx={2} />
            <text x={x + barWidth / 2} y={y - 4} textAnchor="middle">
              {bar.display}
            </text>
            <text x={x + barWidth / 2} y={height - 6} textAnchor="middle">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A line chart over points in order (a trend), as inline SVG with labelled points. */
export function LineChart({
  title,
  points,
  height = 180,
}: {
  title: string;
  points: { label: string; value: number | null; display: string }[];
  height?: number;
}) {
  const width = Math.max(320, points.length * 56);
  const top = 18;
  const bottom = 22;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = Math.max(1, ...values);
  const slot = width / Math.max(1, points.length);
  const xy = points.map((p, index) => ({
    ...p,
    x: index * slot + slot / 2,
    y: p.value === null ? null : height - bottom - ((height - top - bottom) * p.value) / max,
  }));
  const path = xy
    .filter((p) => p.y !== null)
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${(p.y as number).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      className="fin-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${title}: ${points.map((p) => `${p.label} ${p.display}`).join(', ')}`}
    >
      <title>{title}</title>
      <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} stroke="#9ca3af" />
      <path d={path} fill="none" stroke="#2563eb" strokeWidth={2} />
      {xy.map((p) => (
        <g key={p.label}>
          {p.y !== null ? <circle cx={p.x} cy={p.y} r={3} fill="#2563eb" /> : null}
          <text x={p.x} y={(p.y ?? height - bottom) - 6} textAnchor="middle">
            {p.display}
          </text>
          <text x={p.x} y={height - 6} textAnchor="middle">
            {p.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
