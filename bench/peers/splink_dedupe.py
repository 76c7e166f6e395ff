"""Splink 5 on DuckDB (2 threads): the organisation dedupe of bench/workloads/er.py, trained
and run with the steps amlgraph's `resolve --train` takes, from the same settings JSON.

    splink_dedupe.py dedupe.csv settings.json threshold clusters.csv

load = CREATE TABLE from the CSV; build = training: λ from the deterministic rules and
recall, u from max_pairs random pairs (seed), one EM session per em_blocking_rule;
algo = predict (every blocked pair scored, materialised) + clustering at the threshold.
Writes record_id,cluster_id for the F1 check (outside the timings) and prints the JSON line.
"""
import json
import sys

from common import Stopwatch, report

import duckdb
from splink import DuckDBAPI, Linker

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

dedupe, settings_path, threshold, clusters_out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
settings = json.loads(open(settings_path).read())
training = settings.pop("training")

con = duckdb.connect()
con.execute("SET threads = 2")
con.execute("CREATE TABLE dedupe AS SELECT * FROM read_csv(?)", [dedupe])
load = clock.lap()

db = DuckDBAPI(connection=con)
linker = Linker(db.register(con.table("dedupe")), settings)
linker.training.estimate_probability_two_random_records_match(training["deterministic_rules"], recall=training["recall"])
linker.training.estimate_u_using_random_sampling(max_pairs=training["max_pairs"], seed=training["seed"])
for rule in training["em_blocking_rules"]:
    linker.training.estimate_parameters_using_expectation_maximisation(rule)
train = clock.lap()

predictions = linker.inference.predict()
pairs = predictions.as_duckdbpyrelation().count("*").fetchone()[0]
predict = clock.lap()
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=threshold)
clustered = clusters.as_duckdbpyrelation().count("*").fetchone()[0]
cluster = clock.lap()

con.execute(f"COPY (SELECT record_id, cluster_id FROM {clusters.physical_name} ORDER BY record_id) TO '{clusters_out}' (HEADER)")
report(load_s=load, build_s=train, algo_s=predict + cluster, train_s=train, predict_s=predict, cluster_s=cluster,
       pairs=int(pairs), pairs_per_s=pairs / predict if predict > 0 else None, records=int(clustered))
