using System.IO.Compression;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Core.Evaluation;
using Gym.Core.Tasks;
using Gym.Envs.Code.Importers;
using Gym.Testing;

namespace Gym.Envs.Code.Tests;

/// <summary>HumanEval and MBPP files imported as code suites, and graded on real sandboxes.</summary>
[TestFixture]
public sealed class ImporterTests : DockerSandboxTests
{
    // Problems written for these tests in the benchmarks' schemas (the one HumanEval line in data/ is the published sample).
    private const string HumanEvalLines = """
        {"task_id": "Gym/0", "prompt": "import math\n\n\ndef hypotenuse(a, b):\n    \"\"\"The hypotenuse of a right triangle with legs a and b.\n    >>> hypotenuse(3, 4)\n    5.0\n    \"\"\"\n", "canonical_solution": "    return math.sqrt(a * a + b * b)\n", "test": "\n\nMETADATA = {}\n\n\ndef check(candidate):\n    assert candidate(3, 4) == 5.0\n    assert abs(candidate(1, 1) - 2 ** 0.5) < 1e-9\n", "entry_point": "hypotenuse"}
        {"task_id": "Gym/1", "prompt": "def evens(xs):\n    \"\"\"The even numbers of xs, in order.\"\"\"\n", "canonical_solution": "    return [x for x in xs if x % 2 == 0]\n", "test": "def check(candidate):\n    assert candidate([1, 2, 3, 4]) == [2, 4]\n    assert candidate([]) == []\n", "entry_point": "evens"}
        """;

    private const string MbppLines = """
        {"task_id": 7, "text": "Write a function to count the words of a sentence.", "code": "def count_words(s):\r\n  return len(s.split())", "test_list": ["assert count_words('a b c') == 3", "assert count_words('') == 0"], "test_setup_code": "", "challenge_test_list": []}
        {"task_id": 512, "text": "Write a function to find the largest of three numbers.", "code": "def largest(a, b, c):\n    return max(helper(a, b), c)\n\ndef helper(x, y):\n    return x if x > y else y", "test_list": ["assert largest(1, 5, 3) == 5", "assert largest(-1, -2, -3) == -1", "assert largest(2, 2, 9) == 9"], "test_setup_code": "import math", "challenge_test_list": ["assert largest(0, 0, 0) == 0"]}
        {"task_id": 700, "text": "Write a function that returns the square root of n rounded down.", "code": "import math\ndef isqrt_down(n):\n    return math.isqrt(n)", "test_list": ["assert isqrt_down(17) == 4"], "test_setup_code": "", "challenge_test_list": []}
        """;

    private async Task<EvaluationReport> OracleAsync(string suiteDirectory)
    {
        TaskSuite suite = TaskSuiteLoader.Load(suiteDirectory, TestPaths.TempDirectory(), Registry.Contains);
        await using IAgent oracle = Registry.Get(CodeEnvironment.Id).OracleFactory!();
        return (await SuiteEvaluator.EvaluateAsync(Registry, oracle, suite, null, 1, TestPaths.TempDirectory())).Report;
    }

    private static string Write(string name, string text)
    {
        string path = Path.Combine(TestPaths.TempDirectory(), name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test, CancelAfter(300_000)]
    public async Task HumanEvalImportsAndItsOracleScoresEveryProblemWhileAWrongSolutionScoresNothing()
    {
        string sample = Path.Combine(TestPaths.Root, "tests", "Gym.Envs.Code.Tests", "data", "humaneval", "example_problem.jsonl");
        string ours = Write("problems.jsonl.gz", "");
        using (GZipStream gz = new(File.Create(ours), CompressionLevel.Fastest))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(sample) + "\n" + HumanEvalLines));
        string dir = Path.Combine(TestPaths.TempDirectory(), "humaneval");
        CodeSuite suite = HumanEvalImporter.Import(ours);
        suite.Write(dir);
        Assert.That(suite.Tasks.Select(t => (string)t["id"]!), Is.EqualTo(new[] { "test-0", "Gym-0", "Gym-1" }));
        EvaluationReport report = await OracleAsync(dir);
        Assert.That((report.Episodes, report.SuccessRate), Is.EqualTo((3, 1.0)));

        // The same problems with a wrong body for every solution: every hidden check fails.
        IEnumerable<string> wrongLines = (File.ReadAllText(sample) + "\n" + HumanEvalLines).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            JsonObject problem = JsonNode.Parse(line)!.AsObject();
            problem["canonical_solution"] = "    return None\n";
            return problem.ToJsonString();
        });
        string wrong = Write("wrong.jsonl", string.Join("\n", wrongLines));
        string wrongDir = Path.Combine(TestPaths.TempDirectory(), "wrong");
        HumanEvalImporter.Import(wrong).Write(wrongDir);
        EvaluationReport mutated = await OracleAsync(wrongDir);
        Assert.That((mutated.Episodes, mutated.SuccessRate, mutated.MeanScore), Is.EqualTo((3, 0.0, 0.0)));
    }

    [Test, CancelAfter(300_000)]
    public async Task MbppImportsWithItsOwnSplitsAndItsOracleScoresEveryProblem()
    {
        string dir = Path.Combine(TestPaths.TempDirectory(), "mbpp");
        CodeSuite suite = MbppImporter.Import(Write("mbpp.jsonl", MbppLines));
        suite.Write(dir);
        Assert.That(suite.Tasks.Select(t => ((string)t["id"]!, (string)t["split"]!)), Is.EqualTo(new[] { ("mbpp-7", "prompt"), ("mbpp-512", "validation"), ("mbpp-700", "train") }));
        Assert.That((string)suite.Tasks[1]["instruction"]!, Does.Contain("as `largest`").And.Contain("assert largest(2, 2, 9) == 9"));
        string hidden = (string)suite.Tasks[1]["config"]!["hiddenTests"]!["test_hidden.py"]!;
        Assert.That(hidden, Does.StartWith("import math\nfrom solution import *\n").And.Not.Contain("largest(0, 0, 0)"), "test_list only, as MBPP is scored");
        EvaluationReport report = await OracleAsync(dir);
        Assert.That((report.Episodes, report.SuccessRate), Is.EqualTo((3, 1.0)));
    }

    [Test]
    public void AMalformedLineIsRefusedWithItsFileAndLineAndNothingIsWritten()
    {
        string dir = Path.Combine(TestPaths.TempDirectory(), "refused");
        string bad = Write("bad.jsonl", MbppLines.Split('\n')[0] + "\n\n{\"task_id\": 9, \"text\": \"x\", \"code\": \"def f(): pass\", \"test_list\": \"assert f()\"}\n");
        TaskFileException? error = Assert.Throws<TaskFileException>(() => MbppImporter.Import(bad).Write(dir));
        Assert.That((error!.File, error.JsonPath), Is.EqualTo((bad, "line 3: $.test_list")));
        Assert.That(Directory.Exists(dir), Is.False);

        string truncated = Write("cut.jsonl", HumanEvalLines.Split('\n')[0][..40]);
        Assert.That(() => HumanEvalImporter.Import(truncated), Throws.InstanceOf<TaskFileException>().With.Property("JsonPath").EqualTo("line 1"));
        string noEntry = Write("noentry.jsonl", """{"task_id": "x", "prompt": "def f():\n", "canonical_solution": "  return 1", "test": "def check(c):\n  assert c() == 1", "entry_point": "f()"}""");
        Assert.That(() => HumanEvalImporter.Import(noEntry), Throws.InstanceOf<TaskFileException>().With.Message.Contains("not a Python function name"));
    }
}
