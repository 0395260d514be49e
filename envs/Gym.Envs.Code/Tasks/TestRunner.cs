using System.Globalization;
using System.Text.RegularExpressions;

namespace Gym.Envs.Code.Tasks;

/// <summary>The result of running test files: passed and total test functions, and the runner's report.</summary>
/// <param name="Passed">Tests that passed.</param>
/// <param name="Total">Tests found (a file that cannot be imported counts all of its tests as failed).</param>
/// <param name="Report">One line per failure, then the summary.</param>
public sealed record TestOutcome(int Passed, int Total, string Report)
{
    /// <summary>Passed over total (0 when there are no tests).</summary>
    public double Fraction => Total == 0 ? 0 : (double)Passed / Total;
}

/// <summary>
/// Gym's Python test runner, written into the sandbox next to the tests: it counts the <c>test_*</c> functions of
/// each file from its syntax tree (so a module that fails to import still counts its tests as failed), runs them,
/// and prints the summary line prefixed by a nonce read from standard input, so that output printed by the code
/// under test cannot pose as the summary.
/// </summary>
public static partial class TestRunner
{
    /// <summary>The runner's file name in the work directory.</summary>
    public const string FileName = ".gym_test_runner.py";

    /// <summary>The runner's source.</summary>
    public const string Source = """
        import ast, importlib.util, os, sys, traceback
        nonce = sys.stdin.readline().strip()
        sys.path.insert(0, os.getcwd())
        passed = total = 0
        for path in sys.argv[1:]:
            try:
                names = [n.name for n in ast.parse(open(path).read()).body if isinstance(n, ast.FunctionDef) and n.name.startswith("test")]
            except SyntaxError as e:
                print(f"{path}: syntax error: {e}")
                continue
            total += len(names)
            try:
                spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            except BaseException as e:
                print(f"{path}: could not be imported: {type(e).__name__}: {e}")
                continue
            for name in names:
                try:
                    getattr(module, name)()
                    passed += 1
                except BaseException as e:
                    detail = traceback.format_exception_only(type(e), e)[-1].strip()
                    print(f"FAILED {path}::{name}: {detail}")
        print(f"{passed} passed, {total - passed} failed")
        sys.stdout.flush()
        print(f"GYM-RESULT {nonce} {passed} {total}")
        """;

    /// <summary>The shell command that runs <paramref name="testFiles"/> with the nonce on standard input.</summary>
    public static string Command(string nonce, IEnumerable<string> testFiles) =>
        $"echo {nonce} | python3 {FileName} {string.Join(' ', testFiles.Select(f => "'" + f + "'"))}";

    /// <summary>Reads the runner's output; a missing summary (the run was killed) counts every test as failed.</summary>
    public static TestOutcome Parse(string output, string nonce, int expectedTotal)
    {
        ArgumentNullException.ThrowIfNull(output);
        Match m = Summary().Matches(output).LastOrDefault(x => x.Groups[1].Value == nonce) ?? Match.Empty;
        string report = string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("GYM-RESULT ", StringComparison.Ordinal))).Trim();
        if (!m.Success)
            return new TestOutcome(0, expectedTotal, report.Length > 0 ? report : "the test run ended without a result");
        return new TestOutcome(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), report);
    }

    /// <summary>Test functions in a Python file (by name, at the start of a line), for when the runner reports nothing.</summary>
    public static int CountTests(string source) => TestDefinition().Matches(source).Count;

    [GeneratedRegex(@"^GYM-RESULT (\S+) (\d+) (\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Summary();

    [GeneratedRegex(@"^def test\w*\s*\(", RegexOptions.Multiline)]
    private static partial Regex TestDefinition();
}
