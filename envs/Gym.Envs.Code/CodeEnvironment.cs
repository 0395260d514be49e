using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gym.Core;
using Gym.Envs.Code.Sandbox;
using Gym.Envs.Code.Tasks;

namespace Gym.Envs.Code;

/// <summary>
/// Writing and fixing code in a sandbox. Each episode gets a fresh sandbox with the task's files and visible
/// tests; the agent writes files, runs commands and the visible tests (<see cref="CodeActionParser.Syntax"/>), and
/// submits. On submit the hidden tests run and the reward is the fraction that passed; success is all of them.
/// Step info carries each command's exit code, timeout and duration (<c>extras</c>), and the sandbox kind.
/// </summary>
public sealed class CodeEnvironment(SandboxService sandboxes) : EnvironmentBase
{
    /// <summary>The registered id.</summary>
    public const string Id = "code/python-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "code",
        Description = "Python tasks in a hardened sandbox: write files, run commands and visible tests, submit for hidden tests.",
        ActionSyntax = CodeActionParser.Syntax,
        MaxSteps = 20,
    };

    private ISandbox? _sandbox;
    private CodeTask _task = null!;

    /// <inheritdoc />
    public override EnvSpec Spec => EnvSpec;

    /// <inheritdoc />
    protected override async ValueTask<Observation> ResetCoreAsync(TaskSpec task, long seed, CancellationToken cancellationToken)
    {
        _task = CodeTask.From(task);
        await ReleaseAsync().ConfigureAwait(false);
        ISandboxProvider provider = await sandboxes.GetAsync(cancellationToken).ConfigureAwait(false);
        _sandbox = await provider.AcquireAsync(cancellationToken).ConfigureAwait(false);
        await _sandbox.WriteFilesAsync([.. _task.Files, .. _task.VisibleTests, new(TestRunner.FileName, TestRunner.Source)], cancellationToken).ConfigureAwait(false);
        StringBuilder text = new();
        text.AppendLine("Files in the work directory:");
        foreach ((string path, string content) in _task.Files.Concat(_task.VisibleTests))
            text.Append("--- ").AppendLine(path).AppendLine(content.TrimEnd());
        text.Append(_task.VisibleTests.Count > 0 ? "Run the visible tests with <test/>; " : "").Append("submit with <submit/> when done.");
        return new Observation { Text = text.ToString(), StateKey = "start" };
    }

    /// <inheritdoc />
    protected override async ValueTask<StepResult> StepCoreAsync(AgentAction action, CancellationToken cancellationToken)
    {
        ISandbox sandbox = _sandbox!;
        (CodeAction? parsed, string? error) = CodeActionParser.Parse(action.Text);
        if (parsed is null)
            return new StepResult(new Observation { Text = error!, Feedback = error, StateKey = "invalid" }, 0, false, false, StepInfo.Invalid(error!));
        Stopwatch clock = Stopwatch.StartNew();
        switch (parsed.Kind)
        {
            case CodeActionKind.Write:
                try
                {
                    await sandbox.WriteFileAsync(parsed.Path, parsed.Text, cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    return new StepResult(new Observation { Text = e.Message, Feedback = e.Message, StateKey = "invalid" }, 0, false, false, StepInfo.Invalid(e.Message));
                }
                string wrote = $"Wrote {parsed.Path} ({Encoding.UTF8.GetByteCount(parsed.Text)} bytes).";
                return new StepResult(new Observation { Text = wrote, StateKey = "write:" + parsed.Path }, 0, false, false,
                    new StepInfo { ParsedAction = $"write {parsed.Path}", EnvTime = clock.Elapsed });
            case CodeActionKind.Run:
            {
                CommandResult r = await sandbox.RunAsync(parsed.Text, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new StepResult(new Observation { Text = Describe(r), StateKey = "run" }, 0, false, false, CommandInfo("run", r, clock));
            }
            case CodeActionKind.Test:
            {
                if (_task.VisibleTests.Count == 0)
                    return new StepResult(new Observation { Text = "This task has no visible tests.", StateKey = "test" }, 0, false, false, new StepInfo { ParsedAction = "test" });
                (TestOutcome outcome, CommandResult r) = await RunTestsAsync(_task.VisibleTests, cancellationToken).ConfigureAwait(false);
                string text = $"Visible tests: {outcome.Passed}/{outcome.Total} passed.\n{outcome.Report}";
                return new StepResult(new Observation { Text = text.TrimEnd(), StateKey = "test" }, 0, false, false, CommandInfo("test", r, clock));
            }
            default:
            {
                await sandbox.WriteFilesAsync(_task.HiddenTests, cancellationToken).ConfigureAwait(false);
                (TestOutcome outcome, CommandResult r) = await RunTestsAsync(_task.HiddenTests, cancellationToken).ConfigureAwait(false);
                bool success = outcome.Total > 0 && outcome.Passed == outcome.Total;
                string text = $"Submitted: {outcome.Passed}/{outcome.Total} hidden tests passed.";
                StepInfo info = CommandInfo("submit", r, clock) with { Success = success, Score = outcome.Fraction };
                return new StepResult(new Observation { Text = text, StateKey = "submitted" }, outcome.Fraction, true, false, info);
            }
        }
    }

    private async Task<(TestOutcome, CommandResult)> RunTestsAsync(IReadOnlyDictionary<string, string> tests, CancellationToken cancellationToken)
    {
        string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        CommandResult r = await _sandbox!.RunAsync(TestRunner.Command(nonce, tests.Keys), cancellationToken: cancellationToken).ConfigureAwait(false);
        int expected = tests.Values.Sum(TestRunner.CountTests);
        TestOutcome outcome = TestRunner.Parse(r.Stdout, nonce, expected);
        if (r.TimedOut || r.ExitCode is not 0)
            outcome = outcome with { Report = $"{outcome.Report}\n({r.Reason})".Trim() };
        return (outcome, r);
    }

    private string Describe(CommandResult r)
    {
        StringBuilder sb = new();
        sb.Append(CultureInfo.InvariantCulture, $"[{r.Reason}, {r.Seconds:0.00} s]");
        if (r.Stdout.Length > 0)
            sb.Append("\nstdout:\n").Append(r.Stdout.TrimEnd());
        if (r.Stderr.Length > 0)
            sb.Append("\nstderr:\n").Append(r.Stderr.TrimEnd());
        return sb.ToString();
    }

    private StepInfo CommandInfo(string action, CommandResult r, Stopwatch clock) => new()
    {
        ParsedAction = action,
        EnvTime = clock.Elapsed,
        Extras = new Dictionary<string, object?>
        {
            ["exit_code"] = r.ExitCode,
            ["timed_out"] = r.TimedOut,
            ["seconds"] = r.Seconds,
            ["output_truncated"] = r.OutputTruncated,
            ["sandbox"] = _sandbox!.Kind,
        },
    };

    private async Task ReleaseAsync()
    {
        if (_sandbox is not null)
            await _sandbox.DisposeAsync().ConfigureAwait(false);
        _sandbox = null;
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeCoreAsync() => await ReleaseAsync().ConfigureAwait(false);
}
