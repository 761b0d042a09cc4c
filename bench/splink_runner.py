"""Deduplicate a registry CSV with Splink 5 on DuckDB: the reference that Retorno is benchmarked against.

    /tmp/splinkenv/bin/python bench/splink_runner.py --input FILE.csv --out pairs.csv \
        [--threshold 0.95] [--truth-column cluster]

Standalone: it runs in the bench-only virtualenv (requirements/bench.in), never imports Django
or retorno. The input has the columns of `bench/generate_registry.py` (id, given_names,
first_surname, second_surname, sex, birth_date, document_number, municipality, department,
address; any truth column is kept away from Splink). The model is what a competent Splink user
would fit to this data: cleaned names, fuzzy comparisons with term-frequency adjustments, a date
of birth comparison that knows about day/month swaps, high-recall blocking, lambda from a
deterministic rule, u by random sampling and m by EM.

Writes `left_id,right_id,score` for every predicted pair with match probability >= threshold, and
prints one JSON line: records, pairs_predicted, seconds (from reading the CSV to the pairs
written), peak_rss_mb; with --truth-column also the pairwise precision, recall and F1 against
all pairs of records that share a truth value, and the recall of the prediction blocking rules.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from pathlib import Path

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

PARTICLES = "de|del|la|las|los|y"
# Standard written abbreviations of given names ("Ma. Angeles", "Fco. Javier"): expanding them is
# ordinary data cleaning, unlike nickname tables (Chepe, Paco), which are left to the model.
ABBREVIATIONS = {"ma": "maria", "fco": "francisco", "gpe": "guadalupe", "jse": "jose"}


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def clean_name_sql(col: str) -> str:
    """lower case, no accents, letters and single spaces only, particles dropped, '' -> NULL."""
    letters = f"regexp_replace(strip_accents(lower(coalesce({col}, ''))), '[^a-z]+', ' ', 'g')"
    no_particles = f"regexp_replace(' ' || {letters} || ' ', ' (({PARTICLES}) )+', ' ', 'g')"
    # run twice: adjacent particles share their separating space ("de la cruz")
    no_particles = f"regexp_replace({no_particles}, ' (({PARTICLES}) )+', ' ', 'g')"
    return f"nullif(trim(regexp_replace({no_particles}, ' +', ' ', 'g')), '')"


def expand_abbreviations_sql(col: str) -> str:
    words = f"string_split({col}, ' ')"
    mapping = "MAP {" + ", ".join(f"{sql_str(k)}: {sql_str(v)}" for k, v in ABBREVIATIONS.items()) + "}"
    return f"array_to_string(list_transform({words}, lambda w: coalesce({mapping}[w], w)), ' ')"


def load_and_clean(con: duckdb.DuckDBPyConnection, path: str, truth_column: str | None) -> int:
    con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv({sql_str(path)}, header = true, all_varchar = true)")
    if truth_column:
        con.execute(f'CREATE TABLE truth AS SELECT id, "{truth_column}" AS cluster FROM raw')
    given = clean_name_sql("given_names")
    con.execute(
        f"""
        CREATE TABLE people AS
        WITH c AS (
            SELECT
                id AS unique_id,
                {given} AS given_raw,
                {clean_name_sql("first_surname")} AS first_surname,
                {clean_name_sql("second_surname")} AS second_surname,
                nullif(upper(trim(sex)), '') AS sex,
                try_strptime(nullif(trim(birth_date), ''), '%Y-%m-%d')::DATE AS dob,
                nullif(regexp_replace(coalesce(document_number, ''), '[^0-9]', '', 'g'), '') AS document_number,
                {clean_name_sql("municipality")} AS municipality,
                {clean_name_sql("department")} AS department,
                nullif(trim(regexp_replace(strip_accents(lower(coalesce(address, ''))), '[^a-z0-9]+', ' ', 'g')), '')
                    AS address
            FROM raw
        )
        SELECT
            unique_id,
            {expand_abbreviations_sql("given_raw")} AS given_names,
            split_part({expand_abbreviations_sql("given_raw")}, ' ', 1) AS given_first,
            first_surname,
            second_surname,
            sex,
            dob,
            strftime(dob, '%Y-%m-%d') AS dob_str,
            year(dob) AS birth_year,
            document_number,
            municipality,
            department,
            address
        FROM c
        """
    )
    con.execute("DROP TABLE raw")
    return con.execute("SELECT count(*) FROM people").fetchall()[0][0]


def comparisons() -> list:
    given_names = cl.CustomComparison(
        output_column_name="given_names",
        comparison_levels=[
            cll.NullLevel("given_names"),
            cll.ExactMatchLevel("given_names", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("given_names", 0.92),
            # "Juan Carlos" / "Juan": a second given name dropped
            cll.ExactMatchLevel("given_first").configure(tf_adjustment_column="given_first", label_for_charts="First given name equal"),
            cll.JaroWinklerLevel("given_names", 0.8),
            cll.ElseLevel(),
        ],
    )

    def surname(col: str, other: str) -> cl.CustomComparison:
        return cl.CustomComparison(
            output_column_name=col,
            comparison_levels=[
                cll.NullLevel(col),
                cll.ExactMatchLevel(col, term_frequency_adjustments=True),
                # surnames typed in the wrong order
                cll.ColumnsReversedLevel(col, other),
                cll.JaroWinklerLevel(col, 0.92),
                cll.JaroWinklerLevel(col, 0.8),
                cll.ElseLevel(),
            ],
        )

    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="Exact match on date of birth"),
            cll.CustomLevel(
                "year(dob_l) = year(dob_r) AND month(dob_l) = day(dob_r) AND day(dob_l) = month(dob_r)",
                label_for_charts="Day and month swapped",
            ),
            cll.DamerauLevenshteinLevel("dob_str", 1),
            cll.AbsoluteDateDifferenceLevel("dob", input_is_string=False, threshold=1, metric="month"),
            cll.AbsoluteDateDifferenceLevel("dob", input_is_string=False, threshold=1, metric="year"),
            cll.AbsoluteDateDifferenceLevel("dob", input_is_string=False, threshold=10, metric="year"),
            cll.ElseLevel(),
        ],
    )
    location = cl.CustomComparison(
        output_column_name="location",
        comparison_levels=[
            cll.NullLevel("department"),
            cll.CustomLevel("municipality_l = municipality_r", label_for_charts="Same municipality").configure(
                tf_adjustment_column="municipality"
            ),
            cll.ExactMatchLevel("department"),
            cll.ElseLevel(),
        ],
    )
    return [
        given_names,
        surname("first_surname", "second_surname"),
        surname("second_surname", "first_surname"),
        dob,
        cl.ExactMatch("sex"),
        cl.DamerauLevenshteinAtThresholds("document_number", 1),
        location,
        cl.JaroWinklerAtThresholds("address", [0.9]),
    ]


PREDICTION_RULES = [
    block_on("document_number"),
    block_on("dob"),
    block_on("first_surname", "birth_year"),
    block_on("second_surname", "birth_year"),
    block_on("given_first", "first_surname"),
    block_on("given_first", "second_surname"),
    block_on("given_first", "birth_year"),
    # surnames in either order, or one of them moved to the other field
    "l.first_surname = r.second_surname AND l.second_surname = r.first_surname",
    "l.given_first = r.given_first AND l.first_surname = r.second_surname",
    "l.given_first = r.given_first AND l.second_surname = r.first_surname",
    # a wrong birth year: same day and month
    block_on("first_surname", "substr(dob_str, 6, 5)"),
    block_on("second_surname", "substr(dob_str, 6, 5)"),
    # no date of birth: a name and the municipality
    block_on("first_surname", "municipality"),
    block_on("given_first", "municipality"),
]
# Rules that admit (almost) no false positives, for lambda; their recall is a user's guess,
# not measured on the truth.
DETERMINISTIC_RULES = [
    block_on("document_number"),
    block_on("given_names", "first_surname", "dob"),
]
DETERMINISTIC_RECALL = 0.6
EM_RULES = [
    block_on("given_names", "first_surname"),
    block_on("dob"),
]


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)


def evaluate(con: duckdb.DuckDBPyConnection, blocked_table: str | None) -> dict:
    con.execute(
        """
        CREATE TABLE truth_pairs AS
        SELECT a.id AS l, b.id AS r FROM truth a JOIN truth b ON a.cluster = b.cluster AND a.id < b.id
        WHERE a.cluster IS NOT NULL AND a.cluster <> ''
        """
    )
    true_pairs = con.execute("SELECT count(*) FROM truth_pairs").fetchall()[0][0]
    predicted = con.execute("SELECT count(*) FROM predicted").fetchall()[0][0]
    tp = con.execute("SELECT count(*) FROM predicted p JOIN truth_pairs t USING (l, r)").fetchall()[0][0]
    precision = tp / predicted if predicted else 0.0
    recall = tp / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {
        "true_pairs": true_pairs,
        "true_positives": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }
    if blocked_table:
        covered = con.execute(
            f"""
            SELECT count(*) FROM truth_pairs t JOIN (
                SELECT DISTINCT least(join_key_l, join_key_r) AS l, greatest(join_key_l, join_key_r) AS r
                FROM {blocked_table}
            ) b USING (l, r)
            """
        ).fetchall()[0][0]
        out["blocking_recall"] = round(covered / true_pairs, 4) if true_pairs else 0.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--truth-column", default=None)
    parser.add_argument("--u-max-pairs", type=float, default=5e6)
    parser.add_argument("--verbose", action="store_true", help="Splink's INFO log on stderr")
    args = parser.parse_args()

    start = time.perf_counter()
    # DuckDB spills to a temporary directory (".tmp" in the working directory by default): keep it
    # with the other benchmark files, out of the source tree.
    spill = Path(__file__).resolve().parent / "data" / "duckdb_tmp"
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:", config={"temp_directory": str(spill)})
    records = load_and_clean(con, str(args.input), args.truth_column)

    db_api = DuckDBAPI(connection=con)
    people = db_api.register("people", dataset_display_name="people")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=PREDICTION_RULES,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(people, settings, log_level=logging.INFO if args.verbose else logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(DETERMINISTIC_RULES, recall=DETERMINISTIC_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=args.u_max_pairs, seed=2026)
    for rule in EM_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)

    predictions = linker.inference.predict(threshold_match_probability=args.threshold, warning_mode="never")
    con.execute(
        f"""
        CREATE TABLE predicted AS
        SELECT least(unique_id_l, unique_id_r) AS l, greatest(unique_id_l, unique_id_r) AS r,
               match_probability AS score
        FROM {predictions.physical_name}
        """
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY (SELECT l AS left_id, r AS right_id, round(score, 6) AS score FROM predicted ORDER BY l, r) "
        f"TO {sql_str(str(args.out))} (HEADER, DELIMITER ',')"
    )
    pairs = con.execute("SELECT count(*) FROM predicted").fetchall()[0][0]
    seconds = time.perf_counter() - start
    result = {"records": records, "pairs_predicted": pairs, "seconds": round(seconds, 2), "peak_rss_mb": peak_rss_mb()}

    if args.truth_column:
        blocked = linker.inference.compute_blocked_pairs_for_predict()
        result.update(evaluate(con, blocked.physical_name))
        result["blocked_pairs"] = con.execute(f"SELECT count(*) FROM {blocked.physical_name}").fetchall()[0][0]
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
