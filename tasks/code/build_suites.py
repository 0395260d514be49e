"""Writes tasks/code/functions/suite.json and tasks/code/repos/suite.json from the problems in functions.json and
repos.json (data, read here).

Run it after editing either file: python3 tasks/code/build_suites.py. The test suite checks that the oracle
scores 100% on every task (which validates each task's tests) and that empty solutions score 0.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HELPER = "def _raises(f, error):\n    try:\n        f()\n    except error:\n        return True\n    return False\n\n\n"


def function_task(i, problem):
    name, params, statement, body = problem["name"], problem["params"], problem["statement"], problem["body"]
    examples, checks = problem["examples"], problem["checks"]
    signature = f"def {name}({params}):"
    starter = f'{signature}\n    """{statement}"""\n    pass\n'
    reference = f'{signature}\n    """{statement}"""\n    {body}\n'
    visible = HELPER + f"from solution import {name}\n\n" + "".join(f"\ndef test_example_{k}():\n    assert {e}\n" for k, e in enumerate(examples, 1))
    hidden = HELPER + f"from solution import {name}\n\n" + "".join(f"\ndef test_{k}():\n    assert {c}\n" for k, c in enumerate(examples + checks, 1))
    examples_text = "\n".join(f"  {e}" for e in examples)
    return {
        "id": f"fn-{i:03d}-{name}",
        "split": "test" if i % 4 == 3 else "train",
        "instruction": f"Write `{signature}` in solution.py. {statement}\nExamples (each is true):\n{examples_text}",
        "config": {
            "files": {"solution.py": starter},
            "visibleTests": {"test_visible.py": visible},
            "hiddenTests": {"test_hidden.py": hidden},
            "reference": {"solution.py": reference},
        },
    }


def repo_task(i, repo):
    name, statement, files, visible, hidden = repo["name"], repo["statement"], repo["files"], repo["visibleTests"], repo["hiddenTests"]
    reference = {}
    for fix in repo["fixes"]:
        path = fix["file"]
        text = reference.get(path, files[path])
        assert fix["bug"] in text, f"{name}: the bug text is not in {path}"
        reference[path] = text.replace(fix["bug"], fix["fix"], 1)
    return {
        "id": f"repo-{i:02d}-{name}",
        "split": "test" if i % 3 == 2 else "train",
        "instruction": f"{statement} The project's files are in the work directory; the visible tests are in tests_visible/.",
        "config": {
            "files": files,
            "visibleTests": {f"tests_visible/test_{name}_{k}.py": HELPER + t for k, t in enumerate(visible, 1)},
            "hiddenTests": {f"tests_hidden/test_{name}_{k}.py": HELPER + t for k, t in enumerate(hidden, 1)},
            "reference": reference,
        },
    }


def write(suite, description, tasks, max_steps):
    path = os.path.join(HERE, suite.split("/")[1], "suite.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc = {
        "suite": suite,
        "description": description,
        "env": "code/python-v1",
        "defaults": {"tags": ["code", "python"], "limits": {"maxSteps": max_steps, "timeoutSeconds": 300}},
        "tasks": tasks,
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"{path}: {len(tasks)} tasks")


def load(name, key):
    with open(os.path.join(HERE, name)) as f:
        return json.load(f)[key]


write("code/functions", "Python function-writing problems written for Gym: a statement and signature, visible examples, hidden tests.",
      [function_task(i, p) for i, p in enumerate(load("functions.json", "problems"))], 12)
write("code/repos", "Fix the repository: small multi-file Python projects whose test suites fail until the bug is fixed.",
      [repo_task(i, r) for i, r in enumerate(load("repos.json", "repos"))], 16)
