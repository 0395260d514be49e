using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gym.Core.Tasks;
using Gym.Envs.Code.Tasks;

namespace Gym.Envs.Code.Importers;

/// <summary>
/// HumanEval's JSONL (<c>task_id</c>, <c>prompt</c>, <c>canonical_solution</c>, <c>test</c>, <c>entry_point</c>; the
/// published <c>HumanEval.jsonl.gz</c> or any file in that schema) as a <c>code/python-v1</c> suite: the prompt is the
/// starting <c>solution.py</c>, the benchmark's <c>check(candidate)</c> is the hidden test, the prompt plus the canonical
/// solution is what the oracle submits. Every task is in the test split (HumanEval is an evaluation set).
/// </summary>
public static partial class HumanEvalImporter
{
    /// <summary>Reads every problem of <paramref name="path"/>; any malformed line is an error naming the file and the line.</summary>
    public static CodeSuite Import(string path, string name = "imported/humaneval")
    {
        List<JsonObject> tasks = [];
        HashSet<string> ids = new(StringComparer.Ordinal);
        foreach ((int line, JsonElement problem) in JsonLines.Read(path))
        {
            string taskId = JsonLines.Text(path, line, problem, "task_id"), prompt = JsonLines.Text(path, line, problem, "prompt");
            string solution = JsonLines.Text(path, line, problem, "canonical_solution"), test = JsonLines.Text(path, line, problem, "test");
            string entry = JsonLines.Text(path, line, problem, "entry_point");
            if (!Identifier().IsMatch(entry))
                throw new TaskFileException(path, $"line {line}: $.entry_point", $"'{entry}' is not a Python function name");
            if (!test.Contains("def check(", StringComparison.Ordinal))
                throw new TaskFileException(path, $"line {line}: $.test", "defines no check(candidate)");
            string id = Unsafe().Replace(taskId, "-");
            if (!ids.Add(id))
                throw new TaskFileException(path, $"line {line}: $.task_id", $"'{taskId}' appears twice");
            string hidden = $"from solution import {entry}\n\n{test.TrimEnd()}\n\n\ndef test_check():\n    check({entry})\n";
            tasks.Add(CodeSuite.Task(id, "test",
                $"Complete the function `{entry}` in solution.py, which holds its signature and docstring:\n\n{prompt.TrimEnd()}",
                new CodeConfig
                {
                    Files = new Dictionary<string, string> { ["solution.py"] = prompt },
                    HiddenTests = new Dictionary<string, string> { ["test_hidden.py"] = hidden },
                    Reference = new Dictionary<string, string> { ["solution.py"] = prompt + solution },
                }));
        }
        if (tasks.Count == 0)
            throw new TaskFileException(path, "$", "no problems in the file");
        return new CodeSuite(name, $"HumanEval-format problems imported from {Path.GetFileName(path)}: complete the function, judged by the benchmark's check().", "humaneval", tasks);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"[^A-Za-z0-9_.-]")]
    private static partial Regex Unsafe();
}
