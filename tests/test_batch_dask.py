"""``hisho-tone batch --engine dask``: a LocalCluster of two worker processes writes the local engine's bytes."""

from __future__ import annotations

import pytest
from batch_fixtures import archive

from hisho_tone.batch import run_batch

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster


def test_dask_engine_writes_the_same_bytes_as_local_workers(cluster, tmp_path):
    source = archive(tmp_path / "in.jsonl", 60, seed=11, broken_every=25)
    written = {}
    for engine in ("local", "dask"):
        out = tmp_path / engine
        out.mkdir()
        summary = run_batch(
            source,
            out / "m.jsonl",
            threads_path=out / "t.jsonl",
            errors_path=out / "e.jsonl",
            engine=engine,
            scheduler=cluster.scheduler_address if engine == "dask" else None,
            workers=1,
        )
        assert (summary.messages, summary.errors) == (58, 2)
        written[engine] = [(out / f"{name}.jsonl").read_bytes() for name in "mte"]
    assert written["dask"] == written["local"]
    assert written["dask"][0].count(b"\n") == 58
