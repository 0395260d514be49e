using Gym.Core.Registry;

namespace Gym.Core.Checking;

/// <summary>Options of <see cref="EnvChecker"/>.</summary>
public sealed record EnvCheckOptions
{
    /// <summary>Steps of the random walks compared for determinism. Default 30.</summary>
    public int WalkSteps { get; init; } = 30;

    /// <summary>Seed of the random walks. Default 7.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>
    /// Counts resources the environment holds outside the process heap (processes, containers, displays);
    /// the checker requires the count to come back after dispose. Null when there is nothing to count.
    /// </summary>
    public Func<int>? ResourceProbe { get; init; }
}

/// <summary>
/// Checks that an environment keeps the contracts (in the spirit of Gymnasium's env checker): the same task and
/// seed give identical observations and rewards for the same actions; reset works after any state; invalid and
/// empty actions give feedback rather than exceptions; listed admissible actions are valid; dispose frees
/// everything and is idempotent.
/// </summary>
public static class EnvChecker
{
    /// <summary>Runs every check on <paramref name="registration"/> for each task; returns the failures (empty when all pass).</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(EnvRegistration registration, IReadOnlyList<TaskSpec> tasks, EnvCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        options ??= new EnvCheckOptions();
        List<string> failures = [];
        foreach (TaskSpec task in tasks)
        {
            string where = $"{registration.Spec.Id} task {task.Id}";
            try
            {
                await CheckTaskAsync(registration, task, options, failures, where, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add($"{where}: threw {e.GetType().Name}: {e.Message}");
            }
        }
        return failures;
    }

    private static async Task CheckTaskAsync(EnvRegistration registration, TaskSpec task, EnvCheckOptions options, List<string> failures, string where, CancellationToken ct)
    {
        int resourcesBefore = options.ResourceProbe?.Invoke() ?? 0;
        ResetOptions reset = new(task.Seed);
        List<string> walkA, walkB;
        IEnvironment a = registration.Factory();
        IEnvironment b = registration.Factory();
        try
        {
            if (a.Spec.Id != registration.Spec.Id)
                failures.Add($"{where}: Spec.Id is '{a.Spec.Id}', registered as '{registration.Spec.Id}'");

            // Determinism: two instances, the same seeded random walk, identical transcripts.
            walkA = await WalkAsync(a, task, reset, options, ct).ConfigureAwait(false);
            walkB = await WalkAsync(b, task, reset, options, ct).ConfigureAwait(false);
            Compare(walkA, walkB, $"{where}: two instances diverge for the same seed and actions", failures);

            // Reset after any state: mid-episode and after the walk, the same instance reproduces the transcript.
            Observation first = await a.ResetAsync(task, reset, ct).ConfigureAwait(false);
            if (first.AdmissibleActions.Count > 0)
                await a.StepAsync(AgentAction.FromText(first.AdmissibleActions[0]), ct).ConfigureAwait(false);
            List<string> walkC = await WalkAsync(a, task, reset, options, ct).ConfigureAwait(false);
            Compare(walkA, walkC, $"{where}: reset after a used state does not reproduce the episode", failures);

            // Well-formed observation.
            Observation obs = await a.ResetAsync(task, reset, ct).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(obs.Text))
                failures.Add($"{where}: the reset observation has no text");
            if (string.IsNullOrEmpty(obs.StateKey))
                failures.Add($"{where}: the reset observation has no StateKey (needed for step-level grouping)");

            // Every listed admissible action is valid.
            foreach (string action in obs.AdmissibleActions.Take(12))
            {
                await a.ResetAsync(task, reset, ct).ConfigureAwait(false);
                StepResult r = await a.StepAsync(AgentAction.FromText(action), ct).ConfigureAwait(false);
                if (!r.Info.ActionValid)
                    failures.Add($"{where}: admissible action '{action}' was judged invalid: {r.Info.Error}");
            }

            // Invalid and empty actions give feedback, never exceptions.
            foreach (string bad in new[] { "", "   ", "%%% not an action %%%", new string('x', 10_000), "\u0000\u0001" })
            {
                await a.ResetAsync(task, reset, ct).ConfigureAwait(false);
                StepResult r = await a.StepAsync(AgentAction.FromText(bad), ct).ConfigureAwait(false);
                string shown = bad.Length > 20 ? bad[..20] + "..." : bad;
                if (r.Info.ActionValid)
                    failures.Add($"{where}: the invalid action '{shown}' was accepted as valid");
                else if (string.IsNullOrWhiteSpace(r.Info.Error))
                    failures.Add($"{where}: the invalid action '{shown}' got no error feedback");
                if (r.Terminated)
                    failures.Add($"{where}: the invalid action '{shown}' terminated the episode");
            }
        }
        finally
        {
            await a.DisposeAsync().ConfigureAwait(false);
            await b.DisposeAsync().ConfigureAwait(false);
        }

        // Dispose is idempotent; a disposed env refuses work with ObjectDisposedException.
        try
        {
            await a.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failures.Add($"{where}: a second DisposeAsync threw {e.GetType().Name}");
        }
        try
        {
            await a.ResetAsync(task, reset, ct).ConfigureAwait(false);
            failures.Add($"{where}: ResetAsync after DisposeAsync did not throw ObjectDisposedException");
        }
        catch (ObjectDisposedException)
        {
            // What the contract asks for.
        }
        if (options.ResourceProbe is { } probe && probe() != resourcesBefore)
            failures.Add($"{where}: dispose left resources behind ({probe()} held, {resourcesBefore} before)");
    }

    private static async Task<List<string>> WalkAsync(IEnvironment env, TaskSpec task, ResetOptions reset, EnvCheckOptions options, CancellationToken ct)
    {
        Random random = new(options.Seed);
        List<string> transcript = [];
        Observation obs = await env.ResetAsync(task, reset, ct).ConfigureAwait(false);
        transcript.Add(Describe(obs));
        for (int i = 0; i < options.WalkSteps; i++)
        {
            string action = obs.AdmissibleActions.Count > 0 && random.Next(5) != 0
                ? obs.AdmissibleActions[random.Next(obs.AdmissibleActions.Count)]
                : $"probe-{random.Next(1000)}";
            StepResult r = await env.StepAsync(AgentAction.FromText(action), ct).ConfigureAwait(false);
            transcript.Add($"{action} -> r={r.Reward:R} term={r.Terminated} trunc={r.Truncated} valid={r.Info.ActionValid} ok={r.Info.Success}\n{Describe(r.Observation)}");
            if (r.Done)
                break;
            obs = r.Observation;
        }
        return transcript;
    }

    private static string Describe(Observation o) =>
        $"{o.Text}\n[key] {o.StateKey}\n[admissible] {string.Join(" | ", o.AdmissibleActions)}\n[images] {string.Join(",", o.Images.Select(i => i.Data.Length))}";

    private static void Compare(List<string> expected, List<string> actual, string message, List<string> failures)
    {
        int n = Math.Min(expected.Count, actual.Count);
        for (int i = 0; i < n; i++)
        {
            if (expected[i] != actual[i])
            {
                failures.Add($"{message} at step {i}:\n--- expected\n{expected[i]}\n--- actual\n{actual[i]}");
                return;
            }
        }
        if (expected.Count != actual.Count)
            failures.Add($"{message}: {expected.Count} vs {actual.Count} steps");
    }
}
