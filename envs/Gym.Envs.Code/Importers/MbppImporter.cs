using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gym.Core.Tasks;
using Gym.Envs.Code.Tasks;

namespace Gym.Envs.Code.Importers;

/// <summary>
/// MBPP's JSONL (<c>task_id</c>, <c>text</c>, <c>code</c>, <c>test_list</c>, <c>test_setup_code</c>,
/// <c>challenge_test_list</c>) as a <c>code/python-v1</c> suite: the statement and the benchmark's asserts are the
/// instruction, the first assert is the visible test, every assert of <c>test_list</c> a hidden one (as MBPP is scored;
/// the challenge tests are left out), the reference code is what the oracle submits. Splits follow MBPP's own task ids:
/// 1-10 prompt, 11-510 test, 511-600 validation, the rest train.
/// </summary>
public static partial class MbppImporter
{
    /// <summary>Reads every problem of <paramref name="path"/>; any malformed line is an error naming the file and the line.</summary>
    public static CodeSuite Import(string path, string name = "imported/mbpp")
    {
        List<JsonObject> tasks = [];
        HashSet<long> seen = [];
        foreach ((int line, JsonElement problem) in JsonLines.Read(path))
        {
            if (!problem.TryGetProperty("task_id", out JsonElement idField) || !idField.TryGetInt64(out long taskId))
                throw new TaskFileException(path, $"line {line}: $.task_id", "expected an integer");
            if (!seen.Add(taskId))
                throw new TaskFileException(path, $"line {line}: $.task_id", $"{taskId} appears twice");
            string text = JsonLines.Text(path, line, problem, "text"), code = JsonLines.Text(path, line, problem, "code");
            IReadOnlyList<string> asserts = JsonLines.Texts(path, line, problem, "test_list") is { Count: > 0 } list
                ? list : throw new TaskFileException(path, $"line {line}: $.test_list", "expected a non-empty list of asserts");
            string setup = problem.TryGetProperty("test_setup_code", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
            _ = JsonLines.Texts(path, line, problem, "challenge_test_list");   // checked for its shape; not scored, as in MBPP
            string function = Tested(code, asserts) ?? throw new TaskFileException(path, $"line {line}: $.code",
                "defines no function that test_list calls");
            string header = (setup.Trim().Length > 0 ? setup.TrimEnd() + "\n" : "") + "from solution import *\n";
            tasks.Add(CodeSuite.Task($"mbpp-{taskId}", Split(taskId),
                $"{text.Trim()} Write it in solution.py as `{function}`. Your code should pass these tests:\n{string.Join("\n", asserts)}",
                new CodeConfig
                {
                    Files = new Dictionary<string, string> { ["solution.py"] = "" },
                    VisibleTests = new Dictionary<string, string> { ["test_visible.py"] = Tests(header, asserts.Take(1), "example") },
                    HiddenTests = new Dictionary<string, string> { ["test_hidden.py"] = Tests(header, asserts, "assert") },
                    Reference = new Dictionary<string, string> { ["solution.py"] = code.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n" },
                }));
        }
        if (tasks.Count == 0)
            throw new TaskFileException(path, "$", "no problems in the file");
        return new CodeSuite(name, $"MBPP-format problems imported from {Path.GetFileName(path)}: write the function the statement asks for, judged by the benchmark's asserts.", "mbpp", tasks);
    }

    /// <summary>MBPP's split of a task id: 1-10 prompt, 11-510 test, 511-600 validation, the rest train.</summary>
    public static string Split(long taskId) => taskId switch
    {
        <= 10 => "prompt",
        <= 510 => "test",
        <= 600 => "validation",
        _ => "train",
    };

    // The first function the reference defines that an assert calls.
    private static string? Tested(string code, IReadOnlyList<string> asserts)
    {
        HashSet<string> defined = [.. Definition().Matches(code).Select(m => m.Groups[1].Value)];
        return asserts.SelectMany(a => Call().Matches(a).Select(m => m.Groups[1].Value)).FirstOrDefault(defined.Contains);
    }

    private static string Tests(string header, IEnumerable<string> asserts, string prefix)
    {
        StringBuilder sb = new(header);
        int k = 0;
        foreach (string a in asserts)
            sb.Append(CultureInfo.InvariantCulture, $"\n\ndef test_{prefix}_{++k}():\n    {a.Trim()}\n");
        return sb.ToString();
    }

    [GeneratedRegex(@"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", RegexOptions.Multiline)]
    private static partial Regex Definition();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*\(")]
    private static partial Regex Call();
}
