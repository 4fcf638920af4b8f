"""Tests of the Ray sweep driver.

    ~/.cache/genoise/py/bin/python -m pytest -s apps/trainer/sweep/test_sweep.py

The grid tests need nothing but Python. The Ray test (a local Ray with two workers, 2 methods x 2
seeds with tiny budgets, a worker killed mid-run, then the same sweep again) needs ray and a built
trainer (apps/trainer/dist/cli.js, or $GENOISE_TRAINER); it is skipped with one line otherwise. It
takes about 5 minutes on two cores.
"""
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "genoise_sweep.py")
spec = importlib.util.spec_from_file_location("genoise_sweep", DRIVER)
sweep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sweep)

TRAINER = os.environ.get("GENOISE_TRAINER", sweep.DEFAULT_TRAINER)
TINY = {"steps": 30, "batch": 32, "limit": 512, "eval-train-limit": 1000}


def test_grid_expands_to_the_cartesian_product_with_one_command_per_run(tmp_path):
    grid = {
        "methods": ["simclr", "byol"],
        "seeds": [0, 1],
        "flags": {"steps": 20, "no-eval": True, "quiet": False},
        "sweep": {"lr": [0.001, 0.003]},
        "config": {"checkpointEvery": 5},
    }
    runs = sweep.expand_grid(grid, str(tmp_path))
    assert [r["name"] for r in runs] == [
        "simclr-s0-lr0.001", "simclr-s0-lr0.003", "simclr-s1-lr0.001", "simclr-s1-lr0.003",
        "byol-s0-lr0.001", "byol-s0-lr0.003", "byol-s1-lr0.001", "byol-s1-lr0.003",
    ]
    run = runs[1]
    assert sweep.trainer_command("node", "cli.js", run, resume=False) == [
        "node", "cli.js", "train", "simclr", "--seed", "0", "--out", os.path.join(str(tmp_path), "simclr-s0-lr0.003"),
        "--steps", "20", "--no-eval", "--lr", "0.003",
        "--config", os.path.join(str(tmp_path), "simclr-s0-lr0.003", "sweep-config.json"),
    ]  # "quiet": False drops --quiet
    assert sweep.trainer_command("node", "cli.js", runs[0], resume=True)[-1] == "--resume"


def test_run_state_reads_report_then_checkpoint(tmp_path):
    run_dir = tmp_path / "r"
    assert sweep.run_state(str(run_dir)) == "new"
    (run_dir / "checkpoint.old").mkdir(parents=True)
    (run_dir / "checkpoint.old" / "state.json").write_text(json.dumps({"step": 40}))
    assert sweep.run_state(str(run_dir)) == "resumable"
    assert sweep.checkpoint_step(str(run_dir)) == 40
    (run_dir / "checkpoint").mkdir()
    (run_dir / "checkpoint" / "state.json").write_text(json.dumps({"step": 60}))
    assert sweep.checkpoint_step(str(run_dir)) == 60
    (run_dir / "report.json").write_text("{not json")
    assert sweep.run_state(str(run_dir)) == "resumable"  # a half-written report does not count
    (run_dir / "report.json").write_text(json.dumps({"rows": []}))
    assert sweep.run_state(str(run_dir)) == "finished"


def test_table_means_over_seeds(tmp_path):
    runs = sweep.expand_grid({"methods": ["simclr"], "seeds": [0, 1]}, str(tmp_path))
    for run, (knn, linear) in zip(runs, [(0.5, 0.7), (0.6, 0.8)]):
        os.makedirs(run["dir"])
        rows = [{"name": "pretrained (simclr, 20 steps)", "knnTop1": knn, "linearTop1": linear}, {"name": "raw pixels", "knnTop1": 0.66, "linearTop1": 0.76}]
        with open(os.path.join(run["dir"], "report.json"), "w") as f:
            json.dump({"steps": 20, "seconds": 9, "backend": "wasm", "rows": rows}, f)
    text = sweep.write_outputs(str(tmp_path), runs, "t", [])
    pretrained = next(s for s in sweep.summarise(sweep.gather(runs)) if s["representation"] == "pretrained")
    assert pretrained["knnTop1"] == pytest.approx(0.55)
    assert pretrained["knnTop1Std"] == pytest.approx(0.0707107, rel=1e-5)  # sd of 0.5, 0.6 (n - 1)
    assert "55.0 ± 7.1" in text and "75.0 ± 7.1" in text
    assert os.path.exists(tmp_path / "sweep.html") and os.path.exists(tmp_path / "table.json")


def _processes():
    """(pid, ppid, cmdline) of every process, from /proc."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            yield int(pid), ppid, cmdline
        except (OSError, ValueError, IndexError):
            continue


def _trainer_process(run_dir):
    for pid, ppid, cmdline in _processes():
        if "cli.js train" in cmdline and f"--out {run_dir} " in cmdline + " ":
            return pid, ppid
    return None


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _run_sweep(out, grid_path, *extra):
    command = [sys.executable, DRIVER, "--grid", grid_path, "--out", out, "--num-cpus", "2", "--trainer", TRAINER, "--no-install", *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="ray is not installed (pip install ray)")
@pytest.mark.skipif(not os.path.exists(TRAINER), reason=f"no trainer at {TRAINER} (pnpm --filter @genoise/trainer... build)")
def test_local_ray_sweep_survives_a_killed_worker_and_resumes_the_run(tmp_path):
    out = str(tmp_path / "sweep")
    grid_path = str(tmp_path / "grid.json")
    with open(grid_path, "w") as f:
        json.dump({"name": "h4-test", "methods": ["simclr", "byol"], "seeds": [0, 1], "flags": TINY, "config": {"checkpointEvery": 5}}, f)

    # 1. The sweep, no Ray retries: kill the Ray worker of the first run that has a checkpoint mid-run.
    started = time.time()
    first = _run_sweep(out, grid_path, "--max-retries", "0")
    victim = None
    while first.poll() is None and victim is None:
        for name in sorted(os.listdir(out)) if os.path.isdir(out) else []:
            run_dir = os.path.join(out, name)
            step = sweep.checkpoint_step(run_dir)
            found = _trainer_process(run_dir)
            if step is not None and 0 < step < TINY["steps"] and found and sweep.read_report(run_dir) is None:
                trainer_pid, worker_pid = found
                worker = _cmdline(worker_pid)
                assert "ray::" in worker or "default_worker" in worker, f"parent of the trainer is not a Ray worker: {worker}"
                os.kill(worker_pid, signal.SIGKILL)
                victim = {"name": name, "dir": run_dir, "step": step, "trainer": trainer_pid}
                break
        time.sleep(0.1)
    output, _ = first.communicate(timeout=900)
    first_wall = time.time() - started
    print(output)
    assert victim is not None, "no run reached a mid-run checkpoint while the sweep ran"
    assert first.returncode == 1, "a run whose worker died is a failed sweep"
    assert f"{victim['name']}: FAILED" in output and "run the sweep again" in output
    time.sleep(1)
    assert not os.path.exists(f"/proc/{victim['trainer']}") or "cli.js" not in _cmdline(victim["trainer"]), "the trainer outlived its worker"
    assert sweep.read_report(victim["dir"]) is None
    checkpoint = sweep.checkpoint_step(victim["dir"])
    assert checkpoint is not None and checkpoint >= victim["step"]
    others = [n for n in os.listdir(out) if os.path.isdir(os.path.join(out, n)) and n != victim["name"]]
    assert len(others) == 3 and all(sweep.read_report(os.path.join(out, n)) for n in others)
    finished_at = {n: os.path.getmtime(os.path.join(out, n, "report.json")) for n in others}

    # 2. The same sweep again: the three finished runs are skipped, the victim resumes from its checkpoint.
    started = time.time()
    second = _run_sweep(out, grid_path)
    output, _ = second.communicate(timeout=900)
    second_wall = time.time() - started
    print(output)
    assert second.returncode == 0
    assert f"{victim['name']}: resume from step {checkpoint}" in output
    assert all(f"{n}: finished (skipped)" in output for n in others)
    assert f"{victim['name']}: finished in" in output and f"resumed from step {checkpoint}" in output
    logs = sorted(os.listdir(os.path.join(victim["dir"], "sweep-logs")))
    assert logs == ["attempt-1.log", "attempt-2.log"]
    with open(os.path.join(victim["dir"], "sweep-logs", "attempt-2.log")) as f:
        second_log = f.read()
    assert f"# resume from step {checkpoint}" in second_log and " --resume" in second_log
    report = sweep.read_report(victim["dir"])
    assert report["steps"] == TINY["steps"]
    assert {n: os.path.getmtime(os.path.join(out, n, "report.json")) for n in others} == finished_at

    # 3. One combined table: 4 runs x 3 representations, and a mean over the 2 seeds per method.
    with open(os.path.join(out, "table.json")) as f:
        table = json.load(f)
    assert len(table["rows"]) == 12 and len({r["run"] for r in table["rows"]}) == 4
    pretrained = [s for s in table["summary"] if s["representation"] == "pretrained"]
    assert sorted((s["method"], s["seeds"]) for s in pretrained) == [("byol", 2), ("simclr", 2)]
    assert os.path.exists(os.path.join(out, "sweep.html")) and os.path.exists(os.path.join(out, "table.txt"))
    print(f"sweep wall time: {first_wall:.0f} s with the kill (victim {victim['name']} at checkpoint step {checkpoint}), {second_wall:.0f} s to resume it")
