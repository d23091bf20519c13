# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/wq-latency.awk TRACE: from a tracefs trace with the events
# workqueue_queue_work, workqueue_execute_start and workqueue_execute_end,
# per work function: how many ran, the time from queueing to start (the
# wait for a worker) and the time each ran, median and 90th percentile.
# Plain awk (no gawk in the test VM).

function ts(line,   a, n, i)
{
	n = split(line, a, " ")
	for (i = 1; i <= n; i++)
		if (a[i] ~ /^[0-9]+\.[0-9]+:$/) {
			sub(":", "", a[i])
			return a[i]
		}
}

# the word after KEY in LINE
function after(line, key,   s)
{
	s = substr(line, index(line, key) + length(key))
	sub(/[ :].*/, "", s)
	return s
}

# the P-quantile of the numbers in S (insertion sort: a few thousand)
function pct(s, p,   a, n, i, j, t)
{
	n = split(s, a, " ")
	for (i = 2; i <= n; i++) {
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	return a[int(n * p) + 1]
}

/workqueue_queue_work:/ {
	w = after($0, "work struct=")
	q[w] = ts($0)
	fn[w] = after($0, "function=")
	next
}

/workqueue_execute_start:/ {
	w = after($0, "work struct ")
	if (w in q) {
		t = ts($0)
		wait[fn[w]] = wait[fn[w]] " " (t - q[w]) * 1e6
		st[w] = t
		delete q[w]
	}
	next
}

/workqueue_execute_end:/ {
	w = after($0, "work struct ")
	if (w in st) {
		run[fn[w]] = run[fn[w]] " " (ts($0) - st[w]) * 1e6
		delete st[w]
	}
}

END {
	for (f in wait) {
		n = split(wait[f], x, " ")
		printf "%-24s %6d  wait p50 %6.0f us p90 %6.0f  run p50 %6.0f us p90 %6.0f\n",
			f, n, pct(wait[f], 0.5), pct(wait[f], 0.9),
			pct(run[f], 0.5), pct(run[f], 0.9)
	}
}
