# One slope for several soak runs of the same build (an intercept each), through each run's 5-minute
# window means after its first 10 minutes, with a 95 % t interval:
#   python3 tools/bench/Soak/pooled-slope.py rss_kib|rss_outside_gc_kib|gc_live_kib|COLUMN samples.csv...
import csv, sys, math
col = sys.argv[1]
groups = []
for path in sys.argv[2:]:
    rows = [r for r in csv.DictReader(open(path)) if int(r['elapsed_s']) >= 600]
    def val(r):
        if col == 'rss_outside_gc_kib':
            return (float(r['rss_kib']) - float(r['gc_committed_kib'])) / 1024
        if col == 'gc_live_kib':
            return (float(r['gc_heap_kib']) - float(r['gc_fragmented_kib'])) / 1024
        return float(r[col]) / 1024
    windows = {}
    for r in rows:
        w = (int(r['elapsed_s']) - 600) // 300
        windows.setdefault(w, []).append((int(r['elapsed_s']) / 3600, val(r)))
    last = max(windows)
    pts = [(sum(t for t, _ in v) / len(v), sum(y for _, y in v) / len(v)) for w, v in windows.items() if w < last or len(v) * 2 >= len(windows[0])]
    groups.append(pts)
sxx = sxy = 0.0
for g in groups:
    mt = sum(t for t, _ in g) / len(g); my = sum(y for _, y in g) / len(g)
    sxx += sum((t - mt) ** 2 for t, _ in g); sxy += sum((t - mt) * (y - my) for t, y in g)
b = sxy / sxx
res = 0.0; n = 0
for g in groups:
    mt = sum(t for t, _ in g) / len(g); my = sum(y for _, y in g) / len(g)
    res += sum((y - my - b * (t - mt)) ** 2 for t, y in g); n += len(g)
df = n - len(groups) - 1
se = math.sqrt(res / df / sxx)
# t quantiles (0.975) for small df
tq = {4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042}.get(df, 2.0)
print(f"{col}: common slope {b:.2f} MiB/hour, 95 % interval {b - tq * se:.2f} to {b + tq * se:.2f} ({n} windows in {len(groups)} runs, df {df})")
