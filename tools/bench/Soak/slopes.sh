#!/usr/bin/env bash
# Slopes of the memory columns of a soak's samples.csv, in MiB/hour, over the samples at or after
# SKIP_S seconds (default 600):
#   tools/bench/Soak/slopes.sh SAMPLES_CSV [SKIP_S]
# For each of rss_kib, rss_anon_kib, rss_file_kib, rss_shmem_kib, gc_heap_kib, gc_committed_kib present in the header
# (and rss_outside_gc_kib, RSS less gc_committed_kib, and gc_live_kib, gc_heap_kib less gc_fragmented_kib) it prints
# the least-squares slope (what run.sh reports against the target) and the Theil-Sen slope (the
# median of the slopes between every pair of samples), which a garbage collector's sawtooth or a
# few outliers near either end cannot tip, and the medians of the first and last 10 minutes; and the
# floor: a line through the lowest sample of each 5-minute window, what is left after the collections.
set -euo pipefail
csv="$1"; skip_s="${2:-600}"
[ -f "$csv" ] || { echo "slopes.sh: no file $csv" >&2; exit 2; }
header=$(head -1 "$csv")
column() { tr ',' '\n' <<<"$header" | grep -nx "$1" | cut -d: -f1 || :; }
for name in rss_kib rss_anon_kib rss_file_kib rss_shmem_kib gc_heap_kib gc_committed_kib rss_outside_gc_kib gc_live_kib; do
  # Two differences: RSS less what the collector holds committed (native heaps, code, ONNX Runtime), and the managed
  # heap less its free space (what the last collection found live, plus what the program allocated since).
  case "$name" in
    rss_outside_gc_kib) col=$(column rss_kib); less=$(column gc_committed_kib); [ -n "$less" ] || continue;;
    gc_live_kib) col=$(column gc_heap_kib); less=$(column gc_fragmented_kib); [ -n "$less" ] || continue;;
    *) col=$(column "$name"); less="";;
  esac
  [ -n "$col" ] || continue
  # x in hours, y in MiB, for the samples after the skip that have a value.
  points=$(awk -F, -v c="$col" -v l="${less:-0}" -v skip="$skip_s" \
    'NR > 1 && $1 >= skip && $c != "" && (l == 0 || $l != "") { printf "%.6f %.4f\n", $1 / 3600, ($c - (l ? $l : 0)) / 1024 }' "$csv")
  n=$(wc -l <<<"$points")
  if [ -z "$points" ] || [ "$n" -lt 3 ]; then echo "$name: fewer than 3 samples after ${skip_s} s"; continue; fi
  ls=$(awk '{ n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 }
    END { d = n * sxx - sx * sx; if (d == 0) print "n/a"; else printf "%.2f", (n * sxy - sx * sy) / d }' <<<"$points")
  theil_sen=$(awk '{ x[NR] = $1; y[NR] = $2 } END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (x[j] != x[i]) print (y[j] - y[i]) / (x[j] - x[i]) }' <<<"$points" \
    | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
  # Medians of the first and the last 10 minutes of the fitted span.
  ends=$(awk 'NR == 1 { x0 = $1 } { x[NR] = $1; y[NR] = $2 } END {
      for (i = 1; i <= NR; i++) { if (x[i] <= x0 + 1 / 6) print "a", y[i]; if (x[i] >= x[NR] - 1 / 6) print "b", y[i] } }' <<<"$points" \
    | sort -k1,1 -k2,2g | awk '{ v[$1, ++c[$1]] = $2 } END {
      for (k = 0; k < 2; k++) { s = k ? "b" : "a"; m = c[s]; printf "%.1f%s", (m % 2 ? v[s, (m + 1) / 2] : (v[s, m / 2] + v[s, m / 2 + 1]) / 2), k ? "" : " -> " } }')
  # The floor: the lowest sample of each 5-minute window, a line through them. Between collections RSS also holds
  # garbage not yet collected, so the top of the band moves with the collector's timing; what the process keeps is
  # what is left after them, and a leak raises that floor.
  # A window with fewer samples than most (the run's last, cut short) has no comparable floor and is left out.
  floor=$(awk '{ if (NR == 1) x0 = $1; w = int(($1 - x0) * 12); c[w]++; if (c[w] == 1 || $2 < y[w]) { y[w] = $2; x[w] = $1 } if (w > last) last = w; if (c[w] > most) most = c[w] }
      END { first = -1; for (w = 0; w <= last; w++) if (c[w] >= 0.8 * most) { n++; sx += x[w]; sy += y[w]; sxx += x[w] * x[w]; sxy += x[w] * y[w]; if (first < 0) first = w; final = w }
        d = n * sxx - sx * sx; if (n < 3 || d == 0) printf "n/a (fewer than 3 whole windows)"
        else printf "%.2f MiB/hour, first and last window %.1f -> %.1f MiB (%d windows)", (n * sxy - sx * sy) / d, y[first], y[final], n }' <<<"$points")
  # How far the slope can be trusted: samples seconds apart share one collection's state, so their scatter says little;
  # the means of whole 5-minute windows (each spans many collections) are close to independent. A line through them,
  # and the 95 % interval of its slope from their scatter about it (Student's t, windows - 2 degrees of freedom).
  interval=$(awk '{ if (NR == 1) x0 = $1; w = int(($1 - x0) * 12); c[w]++; sx[w] += $1; sy[w] += $2; if (w > last) last = w; if (c[w] > most) most = c[w] }
      END { split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23 2.20 2.18 2.16 2.14 2.13 2.12 2.11 2.10 2.09 2.09", t, " ")
        for (w = 0; w <= last; w++) if (c[w] >= 0.8 * most) { k++; x[k] = sx[w] / c[w]; y[k] = sy[w] / c[w]; mx += x[k]; my += y[k] }
        if (k < 4) { printf "n/a (fewer than 4 whole windows)"; exit }
        mx /= k; my /= k; for (i = 1; i <= k; i++) { sxx += (x[i] - mx) ^ 2; sxy += (x[i] - mx) * (y[i] - my) }
        b = sxy / sxx; for (i = 1; i <= k; i++) r += (y[i] - my - b * (x[i] - mx)) ^ 2
        q = k - 2 <= 20 ? t[k - 2] : 2.0; h = q * sqrt(r / (k - 2) / sxx)
        printf "%.2f MiB/hour, 95 %% interval %.2f to %.2f (%d windows)", b, b - h, b + h, k }' <<<"$points")
  echo "$name: least squares ${ls} MiB/hour, Theil-Sen ${theil_sen} MiB/hour, median of first and last 10 min ${ends} MiB (${n} samples from ${skip_s} s)"
  echo "$name: means of 5-min windows ${interval}"
  echo "$name: floor (lowest sample of each 5 min) ${floor}"
done
