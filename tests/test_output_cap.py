"""The output cap of SandboxedExecute, fed the kernel messages a cell would send (no kernel here).

tests/test_hostile.py grades the same attacks through the CLI; these pin down the accounting.
"""

import nbformat

from autograder.sandbox.kernels import OUTPUT_CAP_NOTE, SandboxedExecute

PARENT = "execute-1"


def message(msg_type, content):
    return {"msg_type": msg_type, "header": {"msg_type": msg_type, "msg_id": "m"},
            "parent_header": {"msg_id": PARENT}, "metadata": {}, "content": content}


def stream(text, name="stdout"):
    return message("stream", {"name": name, "text": text})


def display(text, display_id=None, update=False):
    content = {"data": {"text/plain": text}, "metadata": {}}
    if display_id:
        content["transient"] = {"display_id": display_id}
    return message("update_display_data" if update else "display_data", content)


def run(messages, cap=10_000, notebook_cap=10**9):
    """Feed `messages` to one cell; return its outputs."""
    executor = SandboxedExecute(max_output_bytes=cap, max_notebook_output_bytes=notebook_cap)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    executor.nb = nb
    executor.reset_execution_trackers()
    executor.clear_before_next_output = False  # as nbclient sets it before each cell
    for msg in messages:
        executor.process_message(msg, nb.cells[0], 0)
    return nb.cells[0].outputs


def size(outputs):
    return len(nbformat.writes(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("", outputs=outputs)])))


def notes(outputs):
    return [o for o in outputs if o.output_type == "display_data"
            and o.data.get("text/plain", "").startswith(OUTPUT_CAP_NOTE)]


def test_output_under_the_cap_is_kept_whole():
    outputs = run([stream("a" * 100), display("b" * 100)])
    assert [o.output_type for o in outputs] == ["stream", "display_data"]
    assert outputs[0].text == "a" * 100 and not notes(outputs)


def test_a_flood_of_prints_stops_at_the_cap_with_a_note():
    outputs = run([stream("x" * 1000) for _ in range(100)])
    assert len(notes(outputs)) == 1
    assert 8_000 < size(outputs) < 20_000


def test_display_updates_count_once_per_output_they_rewrite():
    """500 displays that share an id, then one update of 8 kB: 4 MB if every copy were kept."""
    messages = [display("x", display_id="grow") for _ in range(500)]
    outputs = run(messages + [display("y" * 8000, display_id="grow", update=True)], cap=100_000)
    assert len(notes(outputs)) == 1
    assert size(outputs) < 200_000
    assert not any("y" * 8000 in str(o) for o in outputs)


def test_widget_state_counts_against_the_cap():
    comm = message("comm_open", {"comm_id": "c", "target_name": "jupyter.widget",
                                 "data": {"state": {"v": "z" * 50_000}, "buffer_paths": []}})
    outputs = run([comm], cap=10_000)
    assert len(notes(outputs)) == 1


def test_past_the_cap_errors_results_and_the_first_stderr_line_are_kept_shortened():
    """They decide the cell's score in nbgrader; dropping them could raise it."""
    error = message("error", {"ename": "ValueError", "evalue": "wrong" * 10_000,
                              "traceback": ["line"] * 1000})
    result = message("execute_result", {"data": {"text/plain": "3" * 10_000}, "metadata": {},
                                        "execution_count": 1})
    outputs = run([stream("x" * 20_000), stream("warn", name="stderr"),
                   stream("again", name="stderr"), error, result])
    kinds = [o.output_type for o in outputs]
    assert kinds == ["display_data", "stream", "error", "execute_result"], kinds
    assert outputs[1].name == "stderr" and outputs[1].text == "warn"
    assert outputs[2].ename == "ValueError" and len(outputs[2].evalue) == 2000
    assert len(outputs[2].traceback) == 20
    assert outputs[3].data["text/plain"] == "3" * 2000


def test_the_notebook_cap_spans_cells():
    executor = SandboxedExecute(max_output_bytes=10_000, max_notebook_output_bytes=25_000)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("") for _ in range(5)])
    executor.nb = nb
    executor.reset_execution_trackers()
    executor.clear_before_next_output = False  # as nbclient sets it before each cell
    for index, cell in enumerate(nb.cells):
        executor.process_message(stream("x" * 9000), cell, index)
    assert [len(notes(cell.outputs)) for cell in nb.cells] == [0, 0, 1, 1, 1]


def test_the_notebook_cap_never_silences_the_course_cells():
    executor = SandboxedExecute(max_output_bytes=10_000, max_notebook_output_bytes=25_000)
    cells = [nbformat.v4.new_code_cell("") for _ in range(3)]
    cells.append(nbformat.v4.new_code_cell("", metadata={"nbgrader": {
        "grade": True, "locked": True, "grade_id": "test_x", "points": 1}}))
    # a student's own cell cannot claim exemption with a metadata key of its own
    cells.append(nbformat.v4.new_code_cell("", metadata={"autograder_probe": "test_x"}))
    nb = nbformat.v4.new_notebook(cells=cells)
    executor.nb = nb
    executor.reset_execution_trackers()
    executor.clear_before_next_output = False
    for index, cell in enumerate(nb.cells):
        executor.process_message(stream("x" * 9000), cell, index)
    assert [len(notes(cell.outputs)) for cell in nb.cells] == [0, 0, 1, 0, 1]
    assert nb.cells[3].outputs[0].text == "x" * 9000
