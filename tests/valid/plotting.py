"""One valid call per public function of synthbio.plotting (read by test_bad_inputs)."""

from matplotlib.figure import Figure

VALID = {
    "plotting.use_style": {"context": "notebook"},
    "plotting.label_panels": {"axes": Figure().subplots(1, 2), "labels": "ab"},
}
