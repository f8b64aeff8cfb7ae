"""What an engine makes of a job's outcome (engines.result_future, shared by both engines), on a
real pebble pool, and the Dask engine's plugin registration, tried again when its broadcast breaks,
on a real in-process Dask cluster."""

import os
import time

import distributed
import pebble
import pytest
from distributed.diagnostics.plugin import WorkerPlugin

from autograder.grading.engines.base import result_future
from autograder.grading.engines.dask import LOST, DaskEngine
from autograder.grading.engines.local import ENDED
from autograder.grading.job import Result
from autograder.grading.settings import Settings
from autograder.sandbox import SandboxError


def graded(score):
    return Result(status="graded", cells={"c": score}, problems=[])


def sleep_long():
    time.sleep(30)


def die():
    os._exit(9)


def refuse():
    raise SandboxError("no sandbox here")


def fail():
    raise ValueError("x" * 300)


def raise_timeout():
    raise TimeoutError("from elsewhere")


@pytest.fixture(scope="module")
def pool():
    with pebble.ProcessPool(max_workers=2) as pool:
        yield pool
        pool.stop()


def outcome(pool, function, timeout=None, **given):
    running = pool.schedule(function, timeout=timeout)
    return result_future(running, {pebble.ProcessExpired: ENDED}, **given).result(timeout=60)


def test_a_value_becomes_the_result_through_read(pool):
    running = pool.schedule(graded, args=[3])
    result = result_future(running, {}, read=lambda plain: Result(
        plain.status, plain.cells, ["read first"] + plain.problems)).result(timeout=60)
    assert (result.status, result.cells, result.problems) == ("graded", {"c": 3}, ["read first"])


def test_a_job_past_its_time_limit_fails_with_the_limit_named(pool):
    result = outcome(pool, sleep_long, timeout=0.5, time_limit=0.5)
    assert result.status == "failed"
    assert result.problems == ["grading took longer than 0.5 s and was stopped; scored 0"]


def test_a_worker_that_dies_fails_its_job_with_the_engine_sentence(pool):
    result = outcome(pool, die)
    assert (result.status, result.problems) == ("failed", [ENDED])


def test_a_refusal_stops_the_run(pool):
    with pytest.raises(SandboxError, match="no sandbox here"):
        outcome(pool, refuse)


def test_any_other_failure_fails_that_job_alone_and_names_it(pool):
    result = outcome(pool, fail)
    assert result.status == "failed"
    assert result.problems == [f"the grading process failed on this submission (ValueError: "
                               f"{'x' * 200}); scored 0"]


def test_a_timeout_without_a_time_limit_is_an_other_failure(pool):
    result = outcome(pool, raise_timeout)
    assert result.problems == ["the grading process failed on this submission (TimeoutError: "
                               "from elsewhere); scored 0"]


class BreaksOnce(WorkerPlugin):
    """Its first setup raises OSError (as a broadcast to a lost worker does); later ones pass."""
    setups = []

    def setup(self, worker):
        BreaksOnce.setups.append(worker.address)
        if len(BreaksOnce.setups) == 1:
            raise OSError("the worker went away")


class AlwaysBreaks(WorkerPlugin):
    setups = []

    def setup(self, worker):
        AlwaysBreaks.setups.append(worker.address)
        raise OSError("the worker went away")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with distributed.LocalCluster(n_workers=1, processes=False, protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        engine = DaskEngine(Settings(scheduler=cluster.scheduler_address),
                            tmp_path_factory.mktemp("engine"), 1)
        yield engine
        engine.close()


def test_the_plugin_registration_is_tried_again_when_its_broadcast_breaks(engine):
    engine._register(BreaksOnce(), "breaks-once")
    assert len(BreaksOnce.setups) == 2
    assert "breaks-once" in engine.client.run(
        lambda dask_worker: sorted(dask_worker.plugins)).popitem()[1]


def test_the_plugin_registration_gives_up_after_three_attempts(engine):
    with pytest.raises(OSError, match="the worker went away"):
        engine._register(AlwaysBreaks(), "always-breaks")
    assert len(AlwaysBreaks.setups) == 3


def test_a_dask_task_lost_with_its_workers_fails_with_the_lost_sentence():
    import concurrent.futures
    running = concurrent.futures.Future()
    future = result_future(running, {distributed.scheduler.KilledWorker: LOST})
    running.set_exception(distributed.scheduler.KilledWorker("grade-x", "tcp://w", None))
    assert future.result().problems == [LOST]
