"""A sweep of bad inputs over synthbio's public functions.

For every public function we keep one valid call (``VALID``). The sweep then
replaces one argument at a time with values of the wrong type, NaN, inf,
negative numbers, empty or wrongly shaped arrays and out-of-range values, and
requires each call to fail cleanly: ``ValueError`` or ``TypeError`` whose
message names the argument — never an IndexError, a ZeroDivisionError, a
warning, or a silently returned result. ``ALLOWED`` lists the substitutions
that are legitimately valid for a parameter (for example a negative ``axis``).
"""

from __future__ import annotations

import importlib
import inspect
import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest

from synthbio import audit, augment, dimensions, marbles, physics, scaling, simulate
from synthbio import singlecell as sc1

NAN, INF = float("nan"), float("inf")

# Small valid arguments shared by several calls below.
_IMAGES = np.linspace(0.0, 1.0, 48).reshape(3, 4, 4)
_POOL = np.linspace(0.0, 1.0, 96).reshape(6, 4, 4)
_ONEHOT = augment.one_hot(["ACGT", "TTGA"])
_FEATURES = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
_POOL_DATA = lambda gen: (_POOL, [0, 1, 0, 1, 0, 1], {"test": (_IMAGES, [0, 1, 1])})  # noqa: E731
_DRAG = dict(dimensions.SPHERE_DRAG)
_RE = {"rho": 1, "v": 1, "D": 1, "mu": -1}
_LOG_TRAIN = {"D": [1.0, 1.2, 1.5, 2.0, 2.5, 3.0], "v": [1.0, 3.0, 2.0, 1.5, 2.5, 1.2]}
_LOG_TRAIN["F"] = [3.0 * d**2 / v for d, v in zip(_LOG_TRAIN["D"], _LOG_TRAIN["v"])]
# scaling: a noisy power law and a small two-class problem
_SIZES = [10.0, 20.0, 40.0, 80.0, 160.0, 320.0]
_ERRORS = [0.1 + 2.0 * n**-0.5 * (1.0 + 0.02 * (-1) ** i) for i, n in enumerate(_SIZES)]
_CLASSES_X = np.column_stack([np.linspace(0.0, 1.0, 24), np.tile([0.0, 1.0, 2.0], 8)])
_CLASSES_Y = [0] * 12 + [1] * 12
# collapse: a handful of 1-D points and labelled 2-D cells
_POINTS = [-2.0, -1.5, -1.2, -0.3, 0.1, 0.4, 1.1, 1.6, 2.0, 2.4]
_CELLS = [
    [0.0, 0.1],
    [0.2, -0.1],
    [-0.1, 0.0],
    [0.1, 0.2],
    [3.0, 3.1],
    [3.2, 2.9],
    [2.9, 3.0],
    [3.1, 3.2],
]
# simulate: consecutive pendulum states, a self-play data set and telegraph counts
_STATES = np.column_stack([np.linspace(-0.5, 0.5, 8), np.linspace(0.4, -0.3, 8)])
_NEXT_STATES = _STATES + 0.01 * np.column_stack([_STATES[:, 1], -np.sin(_STATES[:, 0])])
_SELF_PLAY = simulate.self_play(2, 1, policy="random", rng=0)
_MRNA = [0, 0, 1, 2, 0, 3, 5, 1, 0, 2, 4, 0, 1, 0, 6, 2]
# physics: a few noisy points of logistic growth
_T_OBS = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
_Y_OBS = [
    float(v) * (1.0 + 0.02 * (-1) ** i)
    for i, v in enumerate(physics.logistic_growth(_T_OBS, 1.0, 10.0, 0.5))
]
_PINN = {
    "ode_residual": "logistic",
    "collocation": np.linspace(0.0, 8.0, 9),
    "weight": 1.0,
    "smoothing": 0.0,
    "params0": [1.0, 10.0],
}

# singlecell: 200 cells × 30 genes with a stored embedding, one imputed copy, a few hidden entries
_SC = sc1.simulate_counts(200, 30, n_types=2, modules=3, null_fraction=0.3, rng=0)
sc1.embed(_SC, 5, rng=0)
_SC_MASKED, _SC_HIDDEN = sc1.mask_counts(_SC, 0.1, rng=0)
_SC_IMPUTED = sc1.impute_knn(_SC_MASKED, 5, use_rep="X_pca", copy=True)
_SC_POSITIONS = (_SC_HIDDEN.rows[:20], _SC_HIDDEN.cols[:20])
_SC_COORDS = np.column_stack([np.linspace(0.0, 1.0, 12), np.cos(np.arange(12.0))])
_SC_IDX, _SC_DIST = sc1.knn_graph(_SC_COORDS, 6)
_SC_COUNTS = np.array([[1.0, 0.0, 3.0], [2.0, 1.0, 0.0], [0.0, 4.0, 1.0]])
_SC_TOTALS = [40.0, 30.0, 50.0]
_SC_LOGNORM = np.log1p(_SC_COUNTS / np.array(_SC_TOTALS)[:, None] * 1e4)
_SC_SMOOTHER = [
    [0.5, 0.5, 0.0, 0.0],
    [0.5, 0.5, 0.0, 0.0],
    [0.0, 0.0, 0.5, 0.5],
    [0.0, 0.0, 0.5, 0.5],
]
# audit: two small overlapping point sets with two labels, a short trajectory, a few TF cells
_AU_REAL = np.column_stack([np.linspace(-1.0, 1.0, 12), np.cos(np.arange(12.0))])
_AU_SYN = _AU_REAL[::-1] * 0.8 + 0.3
_AU_QUERY = np.column_stack([np.linspace(-0.9, 0.9, 6), np.sin(np.arange(6.0))])
_AU_LABELS = [0, 1] * 6
_AU_TRAJ = audit.simulate_branching(30, genes_per_module=1, rng=0)
_AU_TF = audit.simulate_tf_hill(60, high_share=0.2, n_background=6, rng=0)
# missing: a small complete table (the third column drives MAR)
_MI_X = np.column_stack([np.linspace(0.0, 1.0, 20), np.cos(np.arange(20.0)), np.arange(20.0)])

# One valid call per public function: module.function -> keyword arguments.
VALID: dict[str, dict[str, Any]] = {
    "stats.mean_se": {"samples": [1.0, 2.0, 4.0]},
    "stats.rmse_se": {"errors": [1.0, -2.0, 0.5]},
    "stats.loglog_slope": {"x": [1.0, 2.0, 4.0], "y": [1.0, 0.5, 0.25]},
    "marbles.colours": {"counts": dict(marbles.JAR)},
    "marbles.draw": {"counts": dict(marbles.JAR), "n": 25, "replicates": 3, "rng": 0},
    "marbles.repeated_batches": {"counts": dict(marbles.JAR), "batch": 25, "batches": 3, "rng": 0},
    "marbles.prob_none": {"counts": dict(marbles.JAR), "n": 25, "group": ["red"]},
    "marbles.prob_at_least_one": {"counts": dict(marbles.JAR), "n": 25, "colour": "red"},
    "marbles.prob_all_present": {"counts": dict(marbles.JAR), "n": 25, "group": ["red", "green"]},
    "marbles.draws_needed": {"counts": dict(marbles.JAR), "colour": "red", "prob": 0.95},
    "marbles.pair_pmf": {
        "counts": dict(marbles.JAR),
        "n": 25,
        "colour_a": "red",
        "colour_b": "green",
    },
    "marbles.proportion_mse": {"counts": dict(marbles.JAR), "colour": "red", "n": 25},
    "marbles.good_turing_missing_mass": {"sample_counts": [20, 3, 1, 1, 0]},
    "marbles.chao1": {"sample_counts": [20, 3, 1, 1, 0]},
    "marbles.unseen_mass": {"counts": dict(marbles.JAR), "sample_counts": [20, 3, 1, 1, 0]},
    "marbles.expected_unseen_mass": {"counts": dict(marbles.JAR), "n": 25},
    "marbles.expected_good_turing": {"counts": dict(marbles.JAR), "n": 25},
    "marbles.expected_chao1": {"counts": dict(marbles.JAR), "n": 25},
    "plotting.use_style": {"context": "notebook"},
    # augment: tiny images (3 of 4×4), short one-hot DNA, 2-D features
    "augment.translate": {"images": _IMAGES, "shifts": (1, 1), "fill": 0.0},
    "augment.rotate": {"images": _IMAGES, "angles": 30.0, "fill": 0.0, "order": 1},
    "augment.flip_horizontal": {"images": _IMAGES},
    "augment.random_shift": {"max_shift": 1, "fill": 0.0},
    "augment.random_rotation": {"max_degrees": 15.0, "fill": 0.0, "order": 1},
    "augment.fixed_rotation": {"degrees": 180.0, "fill": 0.0, "order": 1},
    "augment.always_flip": {},
    "augment.rc_transform": {},
    "augment.shuffle_transform": {},
    "augment.augment": {"X": _IMAGES, "y": [0, 1, 1], "transforms": "shift", "copies": 2, "rng": 0},
    "augment.load_digits_images": {},
    "augment.one_hot": {"seqs": ["ACGT", "TTGA"]},
    "augment.reverse_complement": {"seqs": _ONEHOT},
    "augment.plant_motif": {
        "n": 10,
        "length": 12,
        "motif": "ACG",
        "strand": "both",
        "positive_fraction": 0.5,
        "rng": 0,
    },
    "augment.kmer_counts": {"X": _ONEHOT, "k": 2},
    "augment.count_sites": {"X": _ONEHOT, "motif": "ACG", "both_strands": True},
    "augment.nearest_neighbour": {
        "F_train": _FEATURES,
        "y_train": [0, 0, 1, 1],
        "F_test": [[0.1, 0.2], [2.9, 3.0]],
    },
    "augment.fit_score": {
        "X_train": _FEATURES,
        "y_train": [0, 0, 1, 1],
        "tests": {"test": ([[0.1, 0.2], [2.9, 3.0]], [0, 1])},
        "model": "nearest",
        "C": 1.0,
    },
    "augment.replicate_fits": {
        "X_pool": _POOL,
        "y_pool": [0, 1, 0, 1, 0, 1],
        "tests": {"test": (_IMAGES, [0, 1, 1])},
        "n_train": 3,
        "transforms": "flip",
        "copies": 1,
        "seeds": [0, 1],
        "model": "nearest",
        "C": 1.0,
    },
    "augment.replicate_recipes": {
        "make_data": _POOL_DATA,
        "recipes": {"none": ([], 0), "flip": ("flip", 1)},
        "n_train": 3,
        "seeds": [0, 1],
        "model": "nearest",
        "C": 1.0,
    },
    # dimensions: the sphere-drag problem
    "dimensions.dimension_matrix": {"variables": _DRAG},
    "dimensions.pi_groups": {"variables": _DRAG, "repeating": ["rho", "D", "v"]},
    "dimensions.pint_pi_groups": {"variables": _DRAG},
    "dimensions.is_dimensionless": {"group": _RE, "variables": _DRAG},
    "dimensions.equivalent_groups": {
        "first": [_RE],
        "second": [{"rho": -1, "v": -1, "D": -1, "mu": 1}],
    },
    "dimensions.group_value": {
        "group": _RE,
        "values": {"rho": 1000.0, "v": 0.1, "D": 1e-3, "mu": 1e-3},
    },
    "dimensions.format_group": {"group": _RE, "symbols": {"rho": "ρ"}},
    "dimensions.reynolds_number": {
        "density": 1000.0,
        "viscosity": 1e-3,
        "diameter": 1e-3,
        "speed": 0.1,
    },
    "dimensions.drag_coefficient": {"reynolds": 10.0, "model": "stokes"},
    "dimensions.drag_force": {
        "density": 1000.0,
        "viscosity": 1e-3,
        "diameter": 1e-3,
        "speed": [0.01, 0.1],
        "model": "schiller-naumann",
    },
    "dimensions.measure_drag": {
        "density": 1000.0,
        "viscosity": 1e-3,
        "diameter": 1e-3,
        "speed": 0.1,
        "rel_noise": 0.05,
        "rng": 0,
    },
    "dimensions.terminal_speed": {
        "particle_density": 2500.0,
        "fluid_density": 1000.0,
        "viscosity": 1e-3,
        "diameter": 1e-4,
        "acceleration": 9.80665,
    },
    "dimensions.similar_points": {
        "point": {"F": 1e-6, "rho": 1000.0, "mu": 1e-3, "D": 1e-3, "v": 0.01},
        "scales": {"rho": (1, 1), "mu": (1, 1), "D": (0.5, 2.0)},
        "variables": _DRAG,
        "n": 2,
        "rng": 0,
    },
    "dimensions.fit_predict_log": {
        "train": _LOG_TRAIN,
        "target": "F",
        "test": {"D": [1.5, 2.5], "v": [2.0, 1.0]},
        "features": ["D", "v"],
        "degree": 1,
    },
    "dimensions.scale_transfer_experiment": {
        "n_measured": 10,
        "n_test": 2,
        "copies": 1,
        "measured_diameter": (0.5e-3, 2e-3),
        "test_diameter": (5e-3, 20e-3),
        "reynolds": (0.1, 1000.0),
        "density": 1000.0,
        "viscosity": 1e-3,
        "rel_noise": 0.05,
        "degree": 1,
        "rng": 0,
    },
    # scaling: short learning curves and the Chinchilla law
    "scaling.power_law": {"x": [1.0, 10.0, 100.0], "a": 2.0, "alpha": 0.5, "c": 0.1},
    "scaling.fit_power_law": {
        "x": _SIZES,
        "y": _ERRORS,
        "irreducible": True,
        "confidence": 0.9,
        "n_boot": 20,
        "rng": 0,
    },
    "scaling.learning_curve": {
        "X": _CLASSES_X,
        "y": _CLASSES_Y,
        "sizes": [6, 12],
        "repeats": 2,
        "test_size": 0.25,
        "rng": 0,
    },
    "scaling.improvement_cost": {"alpha": [0.28, 0.5], "factor": 2.0},
    "scaling.chinchilla_loss": {"N": 1e9, "D": [1e10, 2e10], "params": scaling.CHINCHILLA},
    "scaling.compute_optimal": {"C": [1e21, 1e23], "params": scaling.CHINCHILLA},
    "scaling.effective_data": {"unique_tokens": 1e9, "epochs": [1.0, 4.0], "r_star": 15.4},
    # collapse: tiny jars, short chains
    "collapse.resample_chain": {
        "counts": [3, 2, 1],
        "generations": 2,
        "sample_size": 6,
        "replicates": 2,
        "rng": 0,
    },
    "collapse.loss_probability": {"k": [0, 1, 3], "total": 6, "generations": 3, "sample_size": 6},
    "collapse.expected_categories_left": {"counts": [3, 2, 1], "generations": 3, "sample_size": 6},
    "collapse.expected_types_left": {"k": [0, 1, 3], "total": 6, "generations": 3, "states": 6},
    "collapse.gaussian_chain": {
        "n": 5,
        "generations": 3,
        "replicates": 2,
        "ddof": 1,
        "real_fraction": 0.5,
        "accumulate": True,
        "loc": 0.0,
        "scale": 1.0,
        "rng": 0,
    },
    **{
        f"collapse.{f}": {"generations": [0, 1, 5], "n": 10, "ddof": 1, "sigma2": 2.0}
        for f in (
            "expected_variance",
            "expected_log_variance",
            "expected_mean_sq_error",
            "expected_w2_sq",
        )
    },
    **{
        f"collapse.{f}": {
            "generations": [0, 1, 5],
            "n": 10,
            "ddof": 1,
            "sigma2": 2.0,
            "accumulate": True,
        }
        for f in ("expected_variance", "expected_mean_sq_error")
    },
    "collapse.prob_variance_below": {"generations": [0, 1, 5], "n": 10, "ddof": 1, "ratio": 1.5},
    "collapse.expected_spread_ratio": {"k": [1, 3], "total": 6, "generations": 3},
    "collapse.w2_gaussian": {"mu1": [0.0, 1.0], "sigma1": [1.0, 2.0], "mu2": 0.0, "sigma2": 1.0},
    "collapse.tail_mass": {
        "samples": [[0.0, 1.0, 3.0], [-4.0, 0.5, 2.5]],
        "threshold": 2.0,
        "center": 0.0,
        "axis": 1,
    },
    "collapse.normal_tail_mass": {
        "mu": [0.0, 1.0],
        "sigma": [1.0, 0.5],
        "threshold": 2.0,
        "center": 0.0,
    },
    "collapse.fit_mixture": {"x": _POINTS, "components": 2, "steps": 10},
    "collapse.mixture_chain": {
        "x": _POINTS,
        "generations": 2,
        "components": 2,
        "em_steps": 5,
        "tol": 1e-3,
        "rng": 0,
    },
    "collapse.celltype_chain": {
        "X": _CELLS,
        "labels": ["a"] * 4 + ["b"] * 4,
        "generations": 2,
        "n": 8,
        "replicates": 2,
        "rng": 0,
    },
    # simulate: short swings, a few tic-tac-toe positions, a few cells
    "simulate.pendulum": {
        "theta0": [0.1, 0.5],
        "omega0": 0.0,
        "t": [0.0, 0.5, 1.0],
        "length": 1.0,
        "gravity": 9.8,
        "damping": 0.1,
        "rtol": 1e-8,
        "atol": 1e-10,
    },
    "simulate.pendulum_energy": {
        "theta": [0.1, -0.2],
        "omega": [0.0, 1.0],
        "length": 1.0,
        "gravity": 9.8,
    },
    "simulate.pendulum_period": {"theta0": [0.1, 1.0], "length": 1.0, "gravity": 9.8},
    "simulate.pendulum_exact": {
        "theta0": [0.1, 1.0],
        "t": [0.0, 0.5],
        "length": 1.0,
        "gravity": 9.8,
    },
    "simulate.pendulum_dataset": {
        "n": 3,
        "horizon": 0.5,
        "damping": 0.1,
        "noise": 0.01,
        "theta_max": 1.0,
        "omega_max": 1.0,
        "length": 1.0,
        "gravity": 9.8,
        "rng": 0,
    },
    "simulate.fit_step_model": {"states": _STATES, "next_states": _NEXT_STATES, "degree": 2},
    "simulate.minimax_value": {"state": [1, -1, 0, 0, 0, 0, 0, 0, 0]},
    "simulate.minimax_values": {"boards": [[0] * 9, [1, 0, 0, 0, 0, 0, 0, 0, 0]]},
    "simulate.reachable_states": {},
    "simulate.count_games": {"state": [1, -1, 1, -1, 1, 0, 0, 0, 0]},
    "simulate.random_play_outcomes": {"state": [1, -1, 1, -1, 1, 0, 0, 0, 0]},
    "simulate.mcts_policy": {
        "state": [1, -1, 0, 0, 0, 0, 0, 0, 0],
        "n_simulations": 20,
        "rng": 0,
        "exploration": 1.0,
    },
    "simulate.self_play": {
        "n_games": 2,
        "n_simulations": 5,
        "rng": 0,
        "policy": "mcts",
        "temperature": 0.5,
        "exploration": 1.0,
    },
    "simulate.position_labels": {"data": _SELF_PLAY},
    "simulate.telegraph": {
        "k_on": 1.0,
        "k_off": 1.0,
        "k_tx": 5.0,
        "k_deg": 1.0,
        "n_cells": 5,
        "t_end": 2.0,
        "rng": 0,
        "record_times": [0.5, 1.0],
        "max_events": 10_000,
    },
    "simulate.telegraph_moments": {"k_on": 1.0, "k_off": 1.0, "k_tx": 5.0, "k_deg": 1.0},
    "simulate.telegraph_pmf": {
        "n": [0, 1, 2, 5],
        "k_on": 1.0,
        "k_off": 1.0,
        "k_tx": 5.0,
        "k_deg": 1.0,
    },
    "simulate.fit_telegraph": {"counts": _MRNA, "k_deg": 1.0},
    # physics: seven points of logistic growth, a small basis
    "physics.logistic_growth": {"t": [0.0, 1.0, 2.0], "r": 1.0, "K": 10.0, "N0": 1.0},
    "physics.logistic_inflection": {"r": 1.0, "K": 10.0, "N0": 1.0},
    "physics.michaelis_menten_depletion": {"t": [0.0, 1.0, 2.0], "Vmax": 1.0, "Km": 0.5, "S0": 2.0},
    "physics.noisy_observations": {
        "truth": [1.0, 2.0, 3.0],
        "noise": 0.1,
        "replicates": 2,
        "rng": 0,
    },
    "physics.make_basis": {"start": 0.0, "stop": 10.0, "size": 8},
    "physics.fit_data_only": {
        "t": _T_OBS,
        "y": _Y_OBS,
        "basis": physics.make_basis(0.0, 6.0, 8),
        "smoothing": 0.01,
    },
    "physics.fit_physics_informed": {"t": _T_OBS, "y": _Y_OBS, **_PINN},
    "physics.bootstrap": {
        "t": _T_OBS,
        "y": _Y_OBS,
        "t_new": [0.0, 3.0, 8.0],
        "replicates": 2,
        "rng": 0,
        "method": "residual",
        **_PINN,
    },
    "physics.fit_replicates": {
        "t": _T_OBS,
        "ys": [_Y_OBS, _Y_OBS[::-1]],
        "t_eval": [0.0, 8.0],
        **_PINN,
    },
    # singlecell: the small simulated data set above and its imputed copy
    "singlecell.recover_counts": {"lognorm": _SC_LOGNORM, "total_counts": _SC_TOTALS, "scale": 1e4},
    "singlecell.load_pbmc_counts": {},
    "singlecell.simulate_counts": {
        "n_cells": 40,
        "n_genes": 12,
        "n_types": 2,
        "modules": 2,
        "null_fraction": 0.25,
        "type_fractions": [0.5, 0.5],
        "mean_log": -1.0,
        "sd_log": 1.2,
        "dispersion": 0.3,
        "effect": 1.0,
        "program_sd": 0.4,
        "programs": [[1.0, -1.0], [-1.0, 1.0]],
        "truth": True,
        "rng": 0,
        "chunk": 16,
    },
    "singlecell.mask_counts": {"adata": _SC, "fraction": 0.1, "layer": None, "rng": 0},
    "singlecell.embed": {
        "adata": _SC,
        "n_pcs": 5,
        "layer": None,
        "key_added": "X_pca",
        "copy": True,
        "rng": 0,
    },
    "singlecell.knn_graph": {"coords": _SC_COORDS, "k": 3},
    "singlecell.knn_operator": {"indices": _SC_IDX},
    "singlecell.diffusion_operator": {
        "indices": _SC_IDX,
        "distances": _SC_DIST,
        "knn": 3,
        "decay": 1.0,
    },
    "singlecell.impute_knn": {
        "adata": _SC_MASKED,
        "k": 5,
        "layer": None,
        "n_pcs": 5,
        "use_rep": "X_pca",
        "key_added": "imputed",
        "copy": True,
        "rng": 0,
    },
    "singlecell.impute_diffusion": {
        "adata": _SC_MASKED,
        "t": 2,
        "knn": 3,
        "decay": 1.0,
        "knn_max": 9,
        "n_pcs": 5,
        "layer": None,
        "use_rep": "X_pca",
        "key_added": "imputed",
        "copy": True,
        "rng": 0,
    },
    "singlecell.impute_lowrank": {
        "adata": _SC_MASKED,
        "rank": 3,
        "layer": None,
        "key_added": "imputed",
        "copy": True,
        "rng": 0,
    },
    "singlecell.impute_prior": {
        "adata": _SC_MASKED,
        "groups": list(_SC.var["module"]),
        "layer": None,
        "key_added": "imputed",
        "copy": True,
    },
    "singlecell.heldout_error": {
        "imputed": _SC_IMPUTED,
        "truth_values": _SC_HIDDEN.values[:20],
        "positions": _SC_POSITIONS,
        "layer": "imputed",
        "log": True,
    },
    "singlecell.correlation_inflation": {
        "adata_before": _SC_MASKED,
        "adata_after": _SC_IMPUTED,
        "genes": list(_SC.var_names[:6]),
        "layer_before": "truth",
        "layer_after": "imputed",
        "threshold": 0.3,
        "normalise": True,
    },
    "singlecell.effective_sample_size": {"operator": _SC_SMOOTHER, "steps": 2},
    "singlecell.nearest_type": {
        "adata": _SC_IMPUTED,
        "labels_key": "cell_type",
        "layer": "imputed",
        "reference": "truth",
    },
    # audit: 12 points against 12, two folds, two permutations
    "audit.c2st_auc": {
        "real": _AU_REAL,
        "synthetic": _AU_SYN,
        "k": 3,
        "folds": 2,
        "permutations": 2,
        "rng": 0,
    },
    "audit.mmd": {
        "real": _AU_REAL,
        "synthetic": _AU_SYN,
        "bandwidth": 1.0,
        "permutations": 2,
        "rng": 0,
    },
    "audit.mmd_gaussians": {"shift": [0.0, 0.5, 1.0], "scale": 1.0, "bandwidth": 1.0, "dim": 2},
    "audit.precision_recall": {"real": _AU_REAL, "synthetic": _AU_SYN, "k": 3},
    "audit.on_real_manifold": {"real": _AU_REAL, "query": _AU_QUERY, "k": 3},
    "audit.nearest_real_distance": {"real": _AU_REAL, "synthetic": _AU_SYN},
    "audit.neighbour_purity": {"real": _AU_REAL, "labels": _AU_LABELS, "query": _AU_QUERY, "k": 3},
    "audit.tstr": {
        "real_train": _AU_REAL,
        "synthetic_train": _AU_SYN,
        "real_test": _AU_QUERY,
        "y_real_train": _AU_LABELS,
        "y_synthetic": _AU_LABELS,
        "y_real_test": [0, 1] * 3,
        "C": 1.0,
    },
    "audit.fit_generator": {"x": _AU_REAL, "kind": "gmm", "n_components": 2, "rng": 0},
    "audit.sample_by_class": {
        "x": _AU_REAL,
        "labels": _AU_LABELS,
        "n": 8,
        "kind": "ppca",
        "n_components": 1,
        "rng": 0,
    },
    "audit.hill": {"x": [0.0, 1.0, 10.0], "k": 2.0, "n": 3.0},
    "audit.simulate_branching": {
        "n_cells": 20,
        "genes_per_module": 1,
        "noise": 0.3,
        "t_branch": 0.35,
        "rng": 0,
    },
    "audit.diffusion_pseudotime": {"x": _AU_TRAJ.x, "root": 0, "n_neighbors": 10, "n_pcs": 3},
    "audit.simulate_tf_hill": {
        "n_cells": 50,
        "high_share": 0.2,
        "n_background": 2,
        "hill_k": 200.0,
        "hill_n": 3.0,
        "rng": 0,
    },
    "audit.top_decade_share": {
        "values": [50.0, 150.0, 500.0],
        "reference": [10.0, 200.0, 300.0, 2000.0],
        "low": 100.0,
    },
    "audit.audit_summary": {
        "real": _AU_REAL,
        "synthetic": _AU_SYN,
        "k": 3,
        "permutations": 2,
        "rng": 0,
    },
    "audit.top_decade_audit": {
        "data": _AU_TF,
        "n_pcs": 3,
        "gmm_components": 2,
        "ppca_components": 2,
        "rng": 0,
    },
    "missing.missing_mask": {
        "X": _MI_X,
        "fraction": 0.3,
        "mechanism": "MAR",
        "column": 1,
        "driver": 2,
        "strength": 1.0,
        "rng": 0,
    },
    "missing.pool_rubin": {"estimates": [1.0, 1.2, 0.9], "variances": [0.04, 0.05, 0.04]},
    "missing.simulate_cite": {
        "n_cells": 30,
        "n_background_genes": 4,
        "shares": (0.4, 0.2, 0.3, 0.1),
        "capture": 0.3,
        "background": 5.0,
        "noise": 0.5,
        "rng": 0,
    },
}


# Substitutions that are legitimately valid: (function, parameter) -> predicate on the value.
def _finite_numeric_array(v: Any) -> bool:
    try:
        arr = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        return False
    return arr.ndim >= 1 and arr.size > 0 and bool(np.all(np.isfinite(arr)))


def _draw_sizes(v: Any) -> bool:  # vectorised draw sizes: an array of whole numbers >= 0
    return isinstance(v, list) and all(isinstance(x, int) and x >= 0 for x in v)


def _finite_real(v: Any) -> bool:  # a finite real number of any sign or size
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _positive_real(v: Any) -> bool:
    return _finite_real(v) and v > 0


def _positive_array(v: Any) -> bool:  # positive finite values, scalar or array of any shape
    return _finite_numeric_array(np.atleast_1d(v)) and bool(np.all(np.asarray(v, dtype=float) > 0))


def _finite_like(valid: Any) -> Callable[[Any], bool]:
    """Finite numbers in the valid value's shape (e.g. its values made negative)."""
    shape = np.shape(valid)
    return lambda v: _finite_numeric_array(v) and np.shape(v) == shape


def _image_stack(v: Any) -> bool:  # any finite (n, h, w) stack, e.g. one image 1 pixel high
    return _finite_numeric_array(v) and np.ndim(v) == 3


def _whole_shift(v: Any) -> bool:  # a (down, right) shift in whole pixels, either sign
    return _finite_numeric_array(v) and np.shape(v) == (2,) and bool(np.all(np.mod(v, 1) == 0))


def _exponents(v: Any) -> bool:  # a non-empty mapping name -> finite real exponent
    return isinstance(v, Mapping) and bool(v) and all(_finite_real(e) for e in v.values())


def _positive_values(v: Any) -> bool:  # a mapping name -> positive finite value
    return isinstance(v, Mapping) and bool(v) and all(_positive_real(x) for x in v.values())


def _non_negative_real(v: Any) -> bool:
    return _finite_real(v) and v >= 0


def _finite_values(v: Any) -> bool:  # finite numbers, a scalar or an array of any shape
    return _finite_numeric_array(np.atleast_1d(v))


def _non_negative_values(v: Any) -> bool:
    return _finite_values(v) and bool(np.all(np.asarray(v, dtype=float) >= 0))


def _whole(lo: int, hi: float = math.inf) -> Callable[[Any], bool]:
    """A whole number (an int, not a bool) in [lo, hi]."""
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def _swing(v: Any) -> bool:  # release angles in (-π, π), any shape
    return _finite_values(v) and bool(np.all(np.abs(np.asarray(v, dtype=float)) < np.pi))


def _epochs(v: Any) -> bool:  # positive passes over the data; +inf is the documented limit
    try:
        arr = np.atleast_1d(np.asarray(v, dtype=float))
    except (TypeError, ValueError):
        return False
    return arr.size > 0 and bool(np.all(arr > 0))  # NaN compares False


ALLOWED: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("*", "rng"): lambda v: v is None,  # None means fresh OS entropy, as in NumPy
    ("stats.mean_se", "samples"): _finite_numeric_array,  # any finite replicates, any sign
    ("stats.rmse_se", "errors"): _finite_numeric_array,
    ("marbles.draw", "replicates"): lambda v: v is None,  # one draw instead of a batch
    ("marbles.prob_none", "n"): _draw_sizes,
    ("marbles.prob_at_least_one", "n"): _draw_sizes,
    ("marbles.prob_all_present", "n"): _draw_sizes,
    ("marbles.proportion_mse", "n"): _draw_sizes,
    # augment: pixel values, fills and angles may be any finite number, of either sign
    **{
        (f"augment.{f}", "images"): _image_stack for f in ("translate", "rotate", "flip_horizontal")
    },
    **{
        (f"augment.{f}", "fill"): _finite_real
        for f in ("translate", "rotate", "random_shift", "random_rotation", "fixed_rotation")
    },
    ("augment.translate", "shifts"): _whole_shift,  # negative shifts move content up and left
    ("augment.rotate", "angles"): _finite_real,  # any angle in degrees is a rotation (mod 360)
    ("augment.fixed_rotation", "degrees"): _finite_real,
    # pixel values and features may be negative; class labels are arbitrary values
    **{
        (q, p): _finite_like(VALID[q][p])
        for q, p in [
            ("augment.augment", "X"),
            ("augment.augment", "y"),
            ("augment.nearest_neighbour", "F_train"),
            ("augment.nearest_neighbour", "y_train"),
            ("augment.nearest_neighbour", "F_test"),
            ("augment.fit_score", "X_train"),
            ("augment.fit_score", "y_train"),
            ("augment.replicate_fits", "X_pool"),
            ("augment.replicate_fits", "y_pool"),
        ]
    },
    ("augment.fit_score", "C"): _positive_real,  # any C > 0 is a regularisation strength
    ("augment.replicate_fits", "C"): _positive_real,
    ("augment.replicate_recipes", "C"): _positive_real,
    # dimensions: any positive finite number is a physical density, viscosity, length, speed,
    # acceleration or Reynolds number (the functions are formulas, not lookup tables)
    **{
        ("dimensions.reynolds_number", p): _positive_real
        for p in ("density", "viscosity", "diameter", "speed")
    },
    **{("dimensions.drag_force", p): _positive_real for p in ("density", "viscosity", "diameter")},
    ("dimensions.drag_force", "speed"): _positive_array,  # broadcasts: any shape, or a scalar
    **{
        ("dimensions.measure_drag", p): _positive_real
        for p in ("density", "viscosity", "diameter", "speed")
    },
    **{
        ("dimensions.terminal_speed", p): _positive_real
        for p in ("particle_density", "viscosity", "diameter", "acceleration")
    },
    ("dimensions.drag_coefficient", "reynolds"): _positive_real,
    ("dimensions.scale_transfer_experiment", "density"): _positive_real,
    ("dimensions.scale_transfer_experiment", "viscosity"): _positive_real,
    # exponents may be negative or fractional: 1/Re and sqrt(Re) are dimensionless groups too
    ("dimensions.is_dimensionless", "group"): _exponents,
    ("dimensions.group_value", "group"): _exponents,
    ("dimensions.format_group", "group"): _exponents,
    ("dimensions.format_group", "symbols"): lambda v: v == {},  # no custom symbols
    # an empty list is the basis of a problem without Pi groups (n == rank)
    ("dimensions.equivalent_groups", "first"): lambda v: isinstance(v, list) and not v,
    ("dimensions.equivalent_groups", "second"): lambda v: isinstance(v, list) and not v,
    ("dimensions.group_value", "values"): _positive_values,  # any positive values
    ("dimensions.similar_points", "point"): _positive_values,  # any positive measured point
    ("dimensions.fit_predict_log", "test"): _positive_values,  # one positive point to predict at
    # scaling: sizes, compute and token counts are any positive numbers and broadcast (scalar or
    # any shape); the law's constants are formulas' inputs, not lookups
    ("scaling.power_law", "x"): _positive_array,
    ("scaling.power_law", "a"): _positive_real,
    ("scaling.power_law", "alpha"): _non_negative_real,  # any exponent ≥ 0 is a power law
    ("scaling.power_law", "c"): _non_negative_real,  # any floor ≥ 0
    ("scaling.learning_curve", "X"): _finite_like(VALID["scaling.learning_curve"]["X"]),  # features
    ("scaling.learning_curve", "y"): _finite_like(VALID["scaling.learning_curve"]["y"]),  # labels
    ("scaling.improvement_cost", "alpha"): _positive_array,  # any positive exponents
    ("scaling.improvement_cost", "factor"): lambda v: _finite_real(v) and v > 1,  # any factor > 1
    ("scaling.chinchilla_loss", "N"): _positive_array,
    ("scaling.chinchilla_loss", "D"): _positive_array,
    ("scaling.compute_optimal", "C"): _positive_array,
    ("scaling.effective_data", "unique_tokens"): _positive_array,
    ("scaling.effective_data", "epochs"): _epochs,
    ("scaling.effective_data", "r_star"): _positive_real,
    # collapse: None is the documented default size (the starting total / number of cells)
    **{
        (f"collapse.{f}", "sample_size"): lambda v: v is None
        for f in ("resample_chain", "loss_probability", "expected_categories_left")
    },
    ("collapse.celltype_chain", "n"): lambda v: v is None,
    ("collapse.mixture_chain", "tol"): lambda v: v is None or _positive_real(v),  # any tol > 0
    ("collapse.loss_probability", "k"): _whole(0, 6),  # one starting count in [0, total]
    ("collapse.expected_spread_ratio", "k"): _whole(1, 6),  # one starting count in [1, total]
    ("collapse.prob_variance_below", "generations"): _whole(0),
    ("collapse.prob_variance_below", "ratio"): _positive_real,  # any threshold > 0
    ("collapse.gaussian_chain", "loc"): _finite_real,  # the true mean may be anywhere
    ("collapse.gaussian_chain", "scale"): _positive_real,
    **{
        (f"collapse.{f}", p): check
        for f in (
            "expected_variance",
            "expected_log_variance",
            "expected_mean_sq_error",
            "expected_w2_sq",
        )
        for p, check in (
            ("generations", _whole(0)),  # one generation instead of an array
            ("sigma2", _positive_real),
        )
    },
    # means may be anywhere and standard deviations any size ≥ 0; arrays broadcast
    ("collapse.w2_gaussian", "mu1"): _finite_values,
    ("collapse.w2_gaussian", "mu2"): _finite_values,
    ("collapse.w2_gaussian", "sigma1"): _non_negative_values,
    ("collapse.w2_gaussian", "sigma2"): _non_negative_values,
    ("collapse.normal_tail_mass", "mu"): _finite_values,
    ("collapse.normal_tail_mass", "sigma"): _non_negative_values,
    # any finite data with the sample axis 1, any threshold ≥ 0 around any centre
    ("collapse.tail_mass", "samples"): lambda v: _finite_numeric_array(v) and np.ndim(v) >= 2,
    ("collapse.tail_mass", "axis"): lambda v: _whole(-2, 1)(v),  # negative axes count from the end
    ("collapse.tail_mass", "threshold"): _non_negative_real,
    ("collapse.normal_tail_mass", "threshold"): _non_negative_real,
    ("collapse.tail_mass", "center"): _finite_real,
    ("collapse.normal_tail_mass", "center"): _finite_real,
    ("collapse.fit_mixture", "x"): _finite_like(_POINTS),  # data may be negative
    ("collapse.mixture_chain", "x"): _finite_like(_POINTS),
    ("collapse.celltype_chain", "X"): _finite_like(_CELLS),
    # simulate: angles and velocities of either sign, any shape (they broadcast); lengths,
    # gravity, rates and times any positive size (large ones cost time, they are not errors)
    ("simulate.pendulum", "theta0"): _finite_values,
    ("simulate.pendulum", "omega0"): _finite_values,
    ("simulate.pendulum_energy", "theta"): _finite_values,
    ("simulate.pendulum_energy", "omega"): _finite_values,
    ("simulate.pendulum_period", "theta0"): _swing,
    ("simulate.pendulum_exact", "theta0"): _swing,
    # the free swing through θ0 at rest is even in time: θ(-t) = θ(t)
    ("simulate.pendulum_exact", "t"): _finite_like(VALID["simulate.pendulum_exact"]["t"]),
    **{
        (f"simulate.{f}", p): _positive_real
        for f in (
            "pendulum",
            "pendulum_energy",
            "pendulum_period",
            "pendulum_exact",
            "pendulum_dataset",
        )
        for p in ("length", "gravity")
    },
    ("simulate.pendulum", "atol"): _positive_real,  # in the state's units (rad, rad/s)
    ("simulate.pendulum", "damping"): _non_negative_values,  # one rate or one per pendulum
    ("simulate.pendulum_dataset", "damping"): _non_negative_real,
    ("simulate.pendulum_dataset", "horizon"): _positive_real,
    ("simulate.pendulum_dataset", "noise"): _non_negative_real,
    ("simulate.pendulum_dataset", "omega_max"): _non_negative_real,
    ("simulate.fit_step_model", "states"): _finite_like(_STATES),
    ("simulate.fit_step_model", "next_states"): _finite_like(_STATES),
    ("simulate.mcts_policy", "exploration"): _non_negative_real,  # any UCB1 constant ≥ 0
    ("simulate.self_play", "exploration"): _non_negative_real,
    ("simulate.self_play", "temperature"): _non_negative_real,  # large: close to uniform play
    **{
        ("simulate.telegraph", p): _positive_real
        for p in ("k_on", "k_off", "k_tx", "k_deg", "t_end")
    },
    **{
        (f"simulate.{f}", p): _positive_real
        for f in ("telegraph_moments", "telegraph_pmf")
        for p in ("k_on", "k_off", "k_deg")
    },
    ("simulate.fit_telegraph", "k_deg"): _positive_real,  # sets the time unit
    ("simulate.telegraph_pmf", "n"): lambda v: (
        _non_negative_values(v) and bool(np.all(np.mod(v, 1) == 0))
    ),  # whole counts, any shape
    # physics: times of either sign and any shape for the closed forms; positive constants
    ("physics.logistic_growth", "t"): _finite_values,
    ("physics.michaelis_menten_depletion", "t"): _non_negative_values,
    **{
        (f"physics.{f}", p): _positive_real
        for f, ps in (
            ("logistic_growth", ("r", "K", "N0")),
            ("logistic_inflection", ("r", "K")),
            ("michaelis_menten_depletion", ("Vmax", "Km", "S0")),
        )
        for p in ps
    },
    ("physics.noisy_observations", "replicates"): lambda v: v is None,  # one 1-D course
    ("physics.make_basis", "start"): lambda v: _finite_real(v) and v < 10.0,  # any start < stop
    ("physics.make_basis", "stop"): lambda v: _finite_real(v) and v > 0.0,  # any stop > start
    **{
        (f"physics.{f}", "smoothing"): _non_negative_real
        for f in ("fit_data_only", "fit_physics_informed", "bootstrap", "fit_replicates")
    },
    **{
        (f"physics.{f}", "weight"): _non_negative_real
        for f in ("fit_physics_informed", "bootstrap", "fit_replicates")
    },
    # the law may be enforced at any times, before or after the data; the default basis spans them
    **{
        (f"physics.{f}", "collocation"): _finite_like(_PINN["collocation"])
        for f in ("fit_physics_informed", "bootstrap", "fit_replicates")
    },
    # None fits the data alone; smoothing None is each fit's own default
    **{
        (f"physics.{f}", p): lambda v: v is None
        for f in ("bootstrap", "fit_replicates")
        for p in ("ode_residual",)
    },
    ("physics.bootstrap", "smoothing"): lambda v: v is None or _non_negative_real(v),
    ("physics.fit_replicates", "smoothing"): lambda v: v is None or _non_negative_real(v),
    # predictions at any times: the default basis spans them
    ("physics.bootstrap", "t_new"): _finite_like(VALID["physics.bootstrap"]["t_new"]),
    ("physics.fit_replicates", "t_eval"): _finite_like(VALID["physics.fit_replicates"]["t_eval"]),
    # singlecell: None is the documented default (X for a layer, a fresh embedding, 3·knn listed)
    **{
        (f"singlecell.{f}", p): lambda v: v is None
        for f, ps in (
            ("impute_knn", ("use_rep",)),
            ("impute_diffusion", ("use_rep", "knn_max")),
            ("heldout_error", ("layer",)),
            ("correlation_inflation", ("layer_before", "layer_after")),
            ("nearest_type", ("layer", "reference")),
        )
        for p in ps
    },
    # key_added names the output: any non-empty name will do, None is the documented default
    **{
        (f"singlecell.{f}", "key_added"): lambda v: v is None or (isinstance(v, str) and bool(v))
        for f in ("embed", "impute_knn", "impute_diffusion", "impute_lowrank", "impute_prior")
    },
    ("singlecell.recover_counts", "scale"): _positive_real,  # any positive target sum
    # a log baseline mean of either sign, while the expected library stays below 2**24
    ("singlecell.simulate_counts", "mean_log"): lambda v: _finite_real(v) and abs(v) < 10,
    # programme spreads and overdispersion of any size: the fixed library bounds the means
    **{
        ("singlecell.simulate_counts", p): _non_negative_real
        for p in ("effect", "program_sd", "dispersion")
    },
    # programme activities of either sign, in the shape (n_types, modules)
    ("singlecell.simulate_counts", "programs"): _finite_like([[1.0, -1.0], [-1.0, 1.0]]),
    ("singlecell.knn_graph", "coords"): _finite_like(_SC_COORDS),  # coordinates of either sign
    # a large kernel exponent approaches a hard kNN cut-off (documented)
    ("singlecell.diffusion_operator", "decay"): _positive_real,
    ("singlecell.impute_diffusion", "decay"): _positive_real,
    # group labels are any integers, one per gene
    ("singlecell.impute_prior", "groups"): lambda v: (
        np.shape(v) == (_SC.n_vars,) and bool(np.issubdtype(np.asarray(v).dtype, np.integer))
    ),
    # audit: points are coordinates of either sign (e.g. PCA scores or centred log expression)
    **{
        (f"audit.{f}", p): _finite_like(VALID[f"audit.{f}"][p])
        for f, ps in (
            ("c2st_auc", ("real", "synthetic")),
            ("mmd", ("real", "synthetic")),
            ("precision_recall", ("real", "synthetic")),
            ("on_real_manifold", ("real", "query")),
            ("nearest_real_distance", ("real", "synthetic")),
            ("neighbour_purity", ("real", "query")),
            ("tstr", ("real_train", "synthetic_train", "real_test")),
            ("fit_generator", ("x",)),
            ("sample_by_class", ("x",)),
            ("diffusion_pseudotime", ("x",)),
            ("audit_summary", ("real", "synthetic")),
        )
        for p in ps
    },
    # class labels are arbitrary finite values, one per row (negative integers included)
    **{
        (f"audit.{f}", p): _finite_like(VALID[f"audit.{f}"][p])
        for f, ps in (
            ("neighbour_purity", ("labels",)),
            ("sample_by_class", ("labels",)),
            ("tstr", ("y_real_train", "y_synthetic", "y_real_test")),
        )
        for p in ps
    },
    ("audit.mmd", "bandwidth"): lambda v: v is None or _positive_real(v),  # None: median heuristic
    ("audit.mmd_gaussians", "shift"): _non_negative_values,  # distances ≥ 0, scalar or any shape
    ("audit.mmd_gaussians", "scale"): _positive_real,  # any spread and kernel width are a formula's
    ("audit.mmd_gaussians", "bandwidth"): _positive_real,
    ("audit.tstr", "C"): _positive_real,  # any C > 0 is a regularisation strength
    ("audit.hill", "x"): _non_negative_values,  # concentrations ≥ 0, scalar or any shape
    # any half-activation level and Hill coefficient > 0 (a steep switch tends to a step)
    ("audit.hill", "k"): _positive_real,
    ("audit.hill", "n"): _positive_real,
    ("audit.simulate_tf_hill", "hill_k"): _positive_real,
    ("audit.simulate_tf_hill", "hill_n"): _positive_real,
    ("audit.simulate_branching", "noise"): _non_negative_real,  # any extra log-scale noise ≥ 0
    # a generator's levels may fall below 0 (expm1 of a log-PCA sample) and are flattened
    ("audit.top_decade_share", "values"): _finite_values,
    ("audit.top_decade_share", "reference"): lambda v: _non_negative_values(v) and np.ndim(v) > 1,
    # missing: data and estimates may take any finite values
    ("missing.missing_mask", "X"): _finite_like(_MI_X),
    ("missing.pool_rubin", "estimates"): _finite_like([1.0, 1.2, 0.9]),
}

# Functions whose job is to accept anything (claims report on any value) are swept in test_claims.
NOT_SWEPT = {"claims", "plotting.label_panels", "plotting.use_style"}


def bad_values(valid: Any) -> list[Any]:
    """Wrong values for a parameter, chosen from the kind of its valid value."""
    if isinstance(valid, bool):
        return ["yes", 2.5]
    if isinstance(valid, int):
        return ["7", 2.5, NAN, INF, -1, -(10**9), None, [1, 2]]
    if isinstance(valid, float):
        return ["0.5", NAN, INF, -INF, -1.0, 1e9, None]
    if isinstance(valid, str):
        return [7, "no-such-option", None]
    if isinstance(valid, Mapping):
        return [
            "jar",
            {},
            {k: -1 for k in valid},
            {k: NAN for k in valid},
            {k: 0.5 for k in valid},
            3,
        ]
    if isinstance(valid, (list, tuple, np.ndarray)):
        arr = np.asarray(valid)
        out: list[Any] = ["abc", [], 5 if arr.ndim else [[1]], np.full(arr.shape, NAN)]
        if np.issubdtype(arr.dtype, np.number):
            out += [np.full(arr.shape, INF), -np.abs(arr) - 1, arr.reshape(1, 1, -1)]
        return out
    return []


def public_functions() -> list[str]:
    names = []
    for modname in sorted({k.split(".")[0] for k in VALID}):
        mod = importlib.import_module(f"synthbio.{modname}")
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                names.append(f"{modname}.{name}")
    return names


def resolve(qualname: str) -> Callable[..., Any]:
    modname, fname = qualname.split(".")
    return getattr(importlib.import_module(f"synthbio.{modname}"), fname)


def test_every_public_function_has_a_valid_call():
    missing = [
        q
        for q in public_functions()
        if q not in VALID and q not in NOT_SWEPT and q.split(".")[0] not in NOT_SWEPT
    ]
    assert not missing, f"add a valid call for: {missing}"


def cases() -> list[tuple[str, str, Any]]:
    out = []
    for qualname, kwargs in VALID.items():
        if qualname in NOT_SWEPT:
            continue
        for param, valid in kwargs.items():
            for bad in bad_values(valid):
                allowed = ALLOWED.get((qualname, param)) or ALLOWED.get(("*", param))
                if allowed is not None and allowed(bad):
                    continue
                out.append((qualname, param, bad))
    return out


CASES = cases()


def test_the_sweep_is_large():
    assert len(CASES) >= 100, len(CASES)


@pytest.mark.parametrize("qualname", sorted(VALID))
def test_valid_calls_succeed(qualname):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resolve(qualname)(**VALID[qualname])


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) < 30 else text[:27] + "..."


@pytest.mark.parametrize(
    ("qualname", "param", "bad"), CASES, ids=[f"{q}-{p}-{_short(b)}" for q, p, b in CASES]
)
def test_bad_input_is_refused_clearly(qualname, param, bad):
    kwargs = dict(VALID[qualname], **{param: bad})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = resolve(qualname)(**kwargs)
        except (ValueError, TypeError) as exc:
            message = str(exc)
            assert param in message or param.rstrip("_") in message, (
                f"{qualname}({param}={_short(bad)}) raised {type(exc).__name__} "
                f"without naming {param!r}: {message}"
            )
            return
        except Exception as exc:  # noqa: BLE001 - the point is to catch the wrong kinds
            pytest.fail(f"{qualname}({param}={_short(bad)}) raised {type(exc).__name__}: {exc}")
    pytest.fail(
        f"{qualname}({param}={_short(bad)}) accepted a bad value and returned {_short(result)}"
    )


def test_nan_never_hides_in_results():
    """Where a function accepts its input, its output must not silently contain NaN."""
    for qualname, kwargs in VALID.items():
        if qualname in NOT_SWEPT:
            continue
        out = resolve(qualname)(**kwargs)
        values = [out] if np.isscalar(out) else (list(out) if isinstance(out, tuple) else [out])
        for v in values:
            if isinstance(v, (float, np.floating)):
                assert not math.isnan(v), qualname
            elif isinstance(v, np.ndarray) and np.issubdtype(v.dtype, np.floating):
                assert not np.isnan(v).any(), qualname


# ---------------------------------------------------------------------------------------------
# Hostile input classes (issue #23), generated from every valid call above.
#
# For each parameter the sweep derives values of a *class* from the kind of its valid value
# and checks the call against the class's rule:
#
# * must be refused (ValueError/TypeError naming the argument): complex numbers, bools where
#   numbers or counts are expected (and ints where a flag is), numeric strings, None inside an
#   array, mixed str/int entries, integers beyond int64;
# * refused clearly or answered with finite numbers: huge sizes (10**12), int64 entries of
#   2**62, extreme magnitudes (±1e300) and subnormals (5e-324);
# * must be accepted, with the same answer as the plain array: pandas Series/DataFrame (with a
#   non-default index) in place of a 1-D/2-D array.
#
# Every call runs under a time limit (a hang fails), must not mutate its inputs, and must not
# crash (any other exception, or a warning). HOSTILE_ALLOWED lists the legitimate exceptions
# to a rule; HOSTILE_XFAIL the known failures still to fix (none at present).
# Set SYNTHBIO_SWEEP_LOG=<dir> to write one JSON line per failing call (for counting).
# ---------------------------------------------------------------------------------------------

import dataclasses  # noqa: E402
import json  # noqa: E402
import numbers  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402

MUST_REFUSE = (
    "complex",
    "bool",
    "numeric string",
    "None in array",
    "mixed types",
    "int64 overflow",
    "empty AnnData",
)
REFUSE_OR_FINITE = ("huge size", "2**62 entries", "extreme magnitude", "subnormal", "sparse")
MUST_ACCEPT = ("pandas", "AnnData view")
HOSTILE_CLASSES = MUST_REFUSE + REFUSE_OR_FINITE + MUST_ACCEPT
CALL_SECONDS = 4.0  # per call; hangs fail instead of stalling the suite

# (function or "*", parameter, class) -> why the class's values are legitimately accepted
HOSTILE_ALLOWED: dict[tuple[str, str, str], str] = {
    ("*", "rng", "int64 overflow"): "NumPy seeds may be arbitrarily large non-negative ints",
    ("*", "rng", "huge size"): "a large seed is a seed",
    ("augment.replicate_fits", "seeds", "int64 overflow"): "seeds of any size",
    ("augment.replicate_fits", "seeds", "2**62 entries"): "seeds of any size",
    ("augment.replicate_recipes", "seeds", "int64 overflow"): "seeds of any size",
    ("augment.replicate_recipes", "seeds", "2**62 entries"): "seeds of any size",
    ("marbles.prob_none", "group", "mixed types"): "an int index names a colour too",
    # a one-hot array of bools is one-hot DNA
    ("augment.kmer_counts", "X", "bool"): "one-hot DNA as bools",
    ("augment.count_sites", "X", "bool"): "one-hot DNA as bools",
    ("augment.reverse_complement", "seqs", "bool"): "one-hot DNA as bools",
    **{
        (q, p, c): "class labels of any kind"
        for q, ps in (
            ("audit.neighbour_purity", ("labels",)),
            ("audit.sample_by_class", ("labels",)),
            ("audit.tstr", ("y_real_train", "y_synthetic", "y_real_test")),
        )
        for p in ps
        for c in ("bool", "numeric string")
    },
    # class labels may be any hashable values: bools and strings are labels as well
    **{
        (q, p, c): "class labels of any kind"
        for q, ps in (
            ("scaling.learning_curve", ("y",)),
            ("augment.augment", ("y",)),
            ("augment.nearest_neighbour", ("y_train",)),
            ("augment.fit_score", ("y_train",)),
            ("augment.replicate_fits", ("y_pool",)),
        )
        for p in ps
        for c in ("bool", "numeric string")
    },
}

# Functions whose results hold NaN by design (documented), skipped by the finite-result check.
NAN_BY_DESIGN = {
    "collapse.celltype_chain": "the spread of a cell type that is lost is NaN",
    "scaling.improvement_cost": "inf where the cost multiple overflows a float (documented)",
    "missing.pool_rubin": "df = inf when the imputations do not disagree (documented)",
}

# (function, class) -> known failure still to fix, with its reason. Empty: every module's
# hostile cases pass. The mark is strict, so a listed case that passes fails the suite.
HOSTILE_XFAIL: dict[tuple[str, str], str] = {}


class _CallTimeout(BaseException):
    """Raised by the alarm; a BaseException so that `except Exception` cannot swallow it."""


def _limited_call(fn: Callable[..., Any], kwargs: dict[str, Any], seconds: float) -> Any:
    def _alarm(signum: int, frame: Any) -> None:
        raise _CallTimeout

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, (bool, np.bool_))


def _numeric_array(valid: Any) -> np.ndarray | None:
    if not isinstance(valid, (list, tuple, np.ndarray)):
        return None
    try:
        arr = np.asarray(valid)
    except (ValueError, TypeError):
        return None
    if arr.size == 0 or not np.issubdtype(arr.dtype, np.number):
        return None
    return arr


def _with_first(arr: np.ndarray, value: Any) -> Any:
    """The array as nested lists with its first entry replaced (keeps Python ints exact)."""
    out = arr.astype(object)
    out.flat[0] = value
    return out.tolist()


def hostile_values(valid: Any) -> list[tuple[str, Any]]:
    """(class, value) pairs derived from the kind of a valid value."""
    import pandas as pd

    out: list[tuple[str, Any]] = []
    if hasattr(valid, "obs_names") and hasattr(valid, "X"):  # AnnData: a view, and no cells
        return [("AnnData view", valid[np.arange(valid.n_obs)]), ("empty AnnData", valid[:0])]
    if isinstance(valid, (bool, np.bool_)):  # a flag
        return [("numeric string", str(valid)), ("bool", int(valid))]
    if isinstance(valid, (int, np.integer)):
        return [
            ("complex", complex(int(valid), 1.0)),
            ("bool", True),
            ("numeric string", str(valid)),
            ("int64 overflow", 2**64),
            ("huge size", 10**12),
            ("2**62 entries", 2**62),
        ]
    if isinstance(valid, (float, np.floating)):
        return [
            ("complex", complex(float(valid), 1.0)),
            ("bool", True),
            ("numeric string", repr(float(valid))),
            ("extreme magnitude", 1e300),
            ("extreme magnitude", -1e300),
            ("subnormal", 5e-324),
        ]
    if isinstance(valid, Mapping):
        values = list(valid.values())
        if values and all(_is_number(v) for v in values):
            ints = all(isinstance(v, (int, np.integer)) for v in values)
            first = next(iter(valid))
            out += [
                ("complex", {k: complex(v, 1.0) for k, v in valid.items()}),
                ("bool", {k: True for k in valid}),
                ("numeric string", {k: str(v) for k, v in valid.items()}),
                ("None in array", {k: (None if k == first else v) for k, v in valid.items()}),
            ]
            if ints:
                out += [
                    ("int64 overflow", {**valid, first: 2**64}),
                    ("huge size", {**valid, first: 10**12}),
                    ("2**62 entries", {**valid, first: 2**62}),
                ]
            else:
                out += [
                    ("extreme magnitude", {**valid, first: 1e300}),
                    ("subnormal", {**valid, first: 5e-324}),
                ]
        return out
    if not isinstance(valid, (list, tuple, np.ndarray)) or len(valid) == 0:
        return out
    arr = _numeric_array(valid)
    if arr is None:  # e.g. a list of sequences or of string labels
        try:
            plain = np.asarray(valid)
        except (ValueError, TypeError):
            return out
        if plain.dtype.kind == "U" and plain.ndim == 1:
            out += [
                ("None in array", _with_first(plain, None)),
                ("mixed types", _with_first(plain, 0)),
                ("pandas", pd.Series(list(valid), index=np.arange(len(valid)) + 10)),
            ]
        return out
    ints = np.issubdtype(arr.dtype, np.integer)
    out += [
        ("complex", arr + 1j),
        ("numeric string", arr.astype(str).tolist()),
        ("None in array", _with_first(arr, None)),
        ("mixed types", _with_first(arr, str(arr.flat[0]))),
    ]
    if ints:
        out += [
            ("bool", arr != 0),
            ("int64 overflow", _with_first(arr, 2**64)),
            ("2**62 entries", _with_first(arr, 2**62)),
        ]
    else:
        out += [
            ("extreme magnitude", _with_first(arr, 1e300)),
            ("subnormal", _with_first(arr, 5e-324)),
        ]
    if arr.ndim == 1:
        out.append(("pandas", pd.Series(arr, index=np.arange(arr.size) + 10)))
    elif arr.ndim == 2:
        from scipy import sparse

        out.append(("pandas", pd.DataFrame(arr, index=np.arange(arr.shape[0]) + 10)))
        out.append(("sparse", sparse.csr_matrix(arr)))
    return out


def _fingerprint(v: Any) -> Any:
    """A comparable summary of a value's contents, to detect mutation."""
    if isinstance(v, np.ndarray):
        if v.dtype == object:
            return ("object array", v.shape, repr(v.tolist()))
        return ("array", v.shape, str(v.dtype), v.tobytes())
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(_fingerprint(x) for x in v))
    if isinstance(v, Mapping):
        return ("mapping", tuple((repr(k), _fingerprint(x)) for k, x in v.items()))
    if hasattr(v, "to_numpy") and hasattr(v, "index"):  # pandas
        return ("pandas", _fingerprint(np.asarray(v.to_numpy())), tuple(v.index))
    if hasattr(v, "obs_names") and hasattr(v, "X"):  # AnnData
        x = v.X.toarray() if hasattr(v.X, "toarray") else np.asarray(v.X)
        layers = tuple(
            (
                k,
                _fingerprint(
                    np.asarray(
                        v.layers[k].toarray() if hasattr(v.layers[k], "toarray") else v.layers[k]
                    )
                ),
            )
            for k in v.layers
        )
        return ("anndata", x.tobytes(), v.shape, tuple(v.obs.columns), tuple(v.obsm.keys()), layers)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return (
            "dataclass",
            type(v).__name__,
            tuple(_fingerprint(getattr(v, f.name)) for f in dataclasses.fields(v)),
        )
    if isinstance(v, (numbers.Number, str, bytes, type(None))):
        return v
    return ("object", id(v))


def _non_finite(out: Any) -> bool:
    """Whether a result holds NaN or ±inf (in floats, float arrays, tuples, dataclasses)."""
    if isinstance(out, (float, np.floating)):
        return not math.isfinite(out)
    if isinstance(out, np.ndarray):
        return np.issubdtype(out.dtype, np.inexact) and not bool(np.all(np.isfinite(out)))
    if isinstance(out, (list, tuple)):
        return any(_non_finite(x) for x in out)
    if isinstance(out, Mapping):
        return any(_non_finite(x) for x in out.values())
    if dataclasses.is_dataclass(out) and not isinstance(out, type):
        return any(_non_finite(getattr(out, f.name)) for f in dataclasses.fields(out))
    return False


def _same(a: Any, b: Any) -> bool:
    """Equal results (NaN equal to NaN); objects of unknown kind count as equal."""
    if isinstance(a, (np.ndarray, float, np.floating, int, np.integer)) and isinstance(
        b, (np.ndarray, float, np.floating, int, np.integer)
    ):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if np.issubdtype(a.dtype, np.number) and np.issubdtype(b.dtype, np.number):
            return bool(np.allclose(a, b, rtol=1e-12, atol=0.0, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if hasattr(a, "obs_names") and hasattr(b, "obs_names"):  # AnnData: data, layers, embeddings

        def dense(m: Any) -> np.ndarray:
            return np.asarray(m.toarray() if hasattr(m, "toarray") else m)

        return (
            a.shape == b.shape
            and _same(dense(a.X), dense(b.X))
            and a.layers.keys() == b.layers.keys()
            and all(_same(dense(a.layers[k]), dense(b.layers[k])) for k in a.layers)
            and a.obsm.keys() == b.obsm.keys()
            and all(_same(dense(a.obsm[k]), dense(b.obsm[k])) for k in a.obsm)
        )
    if (a is None) != (b is None):
        return False
    return True


def _hostile_allowed(qualname: str, param: str, cls: str) -> bool:
    return (qualname, param, cls) in HOSTILE_ALLOWED or ("*", param, cls) in HOSTILE_ALLOWED


def _hostile_failure(qualname: str, param: str, cls: str, bad: Any) -> str | None:
    """Run one hostile call; return a description of what went wrong, or None."""
    kwargs = dict(VALID[qualname], **{param: bad})
    before = {k: _fingerprint(v) for k, v in kwargs.items()}
    fn = resolve(qualname)
    label = f"{qualname}({param}={_short(bad)}) [{cls}]"
    refused = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            out = _limited_call(fn, kwargs, CALL_SECONDS)
        except _CallTimeout:
            return f"hang: {label} ran longer than {CALL_SECONDS} s"
        except (ValueError, TypeError) as exc:
            if cls in MUST_ACCEPT:
                return f"refused: {label} refused a valid input: {type(exc).__name__}: {exc}"
            if param not in str(exc) and param.rstrip("_") not in str(exc):
                return (
                    f"unnamed: {label} raised {type(exc).__name__} without naming {param!r}: {exc}"
                )
            refused = True
        except Exception as exc:  # noqa: BLE001 - the point is to catch the wrong kinds
            return f"crash: {label} raised {type(exc).__name__}: {str(exc)[:200]}"
    after = {k: _fingerprint(v) for k, v in kwargs.items()}
    changed = [k for k in kwargs if after[k] != before[k]]
    if changed:
        return f"mutation: {label} modified its argument(s) {changed}"
    if refused:
        return None
    if cls in MUST_REFUSE and not _hostile_allowed(qualname, param, cls):
        return f"silent: {label} accepted the value and returned {_short(out)}"
    if qualname not in NAN_BY_DESIGN and _non_finite(out):
        return f"nonfinite: {label} returned NaN or inf for finite input: {_short(out)}"
    if cls in MUST_ACCEPT:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plain = fn(**VALID[qualname])
        if not _same(out, plain):
            return f"different: {label} differs from the result for the plain array"
    return None


def hostile_cases() -> list[tuple[str, str]]:
    """(function, class) pairs with at least one generated value."""
    out = set()
    for qualname, kwargs in VALID.items():
        if qualname in NOT_SWEPT or qualname.split(".")[0] in NOT_SWEPT:
            continue
        for valid in kwargs.values():
            for cls, _ in hostile_values(valid):
                out.add((qualname, cls))
    return sorted(out, key=lambda qc: (qc[0], HOSTILE_CLASSES.index(qc[1])))


def _hostile_params() -> list[Any]:
    params = []
    for qualname, cls in hostile_cases():
        reason = HOSTILE_XFAIL.get((qualname, cls))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(qualname, cls, id=f"{qualname}-{cls}", marks=marks))
    return params


@pytest.mark.parametrize(("qualname", "cls"), _hostile_params())
def test_hostile_inputs(qualname, cls):
    failures = []
    for param, valid in VALID[qualname].items():
        for vcls, bad in hostile_values(valid):
            if vcls != cls:
                continue
            failure = _hostile_failure(qualname, param, cls, bad)
            if failure is not None:
                failures.append(failure)
    log_dir = os.environ.get("SYNTHBIO_SWEEP_LOG")
    if log_dir and failures:
        with open(os.path.join(log_dir, f"{os.getpid()}.jsonl"), "a", encoding="utf-8") as fh:
            for f in failures:
                fh.write(json.dumps({"function": qualname, "class": cls, "failure": f}) + "\n")
    assert not failures, "\n".join(failures)


def test_hostile_xfail_list_names_real_cases():
    known = set(hostile_cases())
    stale = [key for key in HOSTILE_XFAIL if key not in known]
    assert not stale, f"HOSTILE_XFAIL names cases the sweep does not generate: {stale}"
    owned = {
        "stats",
        "marbles",
        "augment",
        "dimensions",
        "scaling",
        "collapse",
        "simulate",
        "physics",
    }
    assert not [k for k in HOSTILE_XFAIL if k[0].split(".")[0] in owned], (
        "modules fixed in issue #23 carry no expected failures"
    )


def test_hostile_sweep_covers_every_class():
    classes = {cls for _, cls in hostile_cases()}
    assert classes == set(HOSTILE_CLASSES), set(HOSTILE_CLASSES) - classes
