# Open descriptors and threads after the warm-up against the end of a soak: the report's "start" is the
# agent's first second and its "end" one sample, while both counts move by a few as connections and
# the thread pool come and go; this compares their spread in the 10 minutes after the first 10 with the
# last 10 minutes:
#   python3 tools/bench/Soak/steady-counts.py samples.csv
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
end = int(rows[-1]['elapsed_s'])
early = [r for r in rows if 600 <= int(r['elapsed_s']) < 1200]
late = [r for r in rows if int(r['elapsed_s']) > end - 600]
for column in ('fds', 'threads'):
    def spread(window):
        values = [int(r[column]) for r in window]
        return f"median {statistics.median(values):g}, {min(values)} to {max(values)} ({len(values)} samples)"
    print(f"{column}: minutes 10-20 {spread(early)}; last 10 minutes {spread(late)}")
