using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Gym.Core.Registry;
using Gym.Core.Trajectories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gym.Core.Rollouts;

/// <summary>The episodes of one task run from the same env seed: the unit of episode-level advantages.</summary>
/// <param name="Task">The task.</param>
/// <param name="GroupId">The group's id, unique in the run.</param>
/// <param name="Episodes">All of the group's episodes, complete, ordered by attempt.</param>
public sealed record EpisodeGroup(TaskSpec Task, string GroupId, IReadOnlyList<Episode> Episodes);

/// <summary>
/// Runs tasks in groups and streams complete groups as they finish. An episode whose environment or agent
/// fails or times out is aborted and retried on a fresh environment; a group whose episode cannot be completed
/// is dropped whole (never yielded partially) and counted in <see cref="Statistics"/>.
/// </summary>
public sealed partial class RolloutRunner : IAsyncDisposable
{
    private readonly EnvRegistry _registry;
    private readonly IAgent _agent;
    private readonly BatchingAgent? _batching;
    private readonly RolloutOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ConcurrentBag<IEnvironment>> _idle = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _familyLimits = new(StringComparer.Ordinal);

    /// <summary>Creates a runner; batch agents are fed batches of the episodes waiting for an action.</summary>
    public RolloutRunner(EnvRegistry registry, IAgent agent, RolloutOptions? options = null, ILogger<RolloutRunner>? logger = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        ArgumentNullException.ThrowIfNull(agent);
        _options = options ?? new RolloutOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (agent is IBatchAgent batchAgent)
        {
            _batching = new BatchingAgent(batchAgent);
            _agent = _batching;
        }
        else
        {
            _agent = agent;
        }
    }

    /// <summary>The run's counters.</summary>
    public RolloutStatistics Statistics { get; } = new();

    /// <summary>Runs every task as a group of <see cref="RolloutOptions.GroupSize"/> episodes; yields complete groups.</summary>
    public async IAsyncEnumerable<EpisodeGroup> RunAsync(IEnumerable<TaskSpec> tasks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        List<TaskSpec> list = [.. tasks];
        foreach (TaskSpec task in list)
            _registry.Get(task.EnvId);
        // Bounded: when the consumer (a trainer, a file writer) falls behind, episodes stop starting instead of
        // piling up in memory.
        // Synchronous continuations let a worker waiting to write resume on the consumer's thread.
        Channel<EpisodeGroup> output = Channel.CreateBounded<EpisodeGroup>(new BoundedChannelOptions(Math.Max(16, 2 * _options.MaxConcurrentEpisodes))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = true,
        });
        using CancellationTokenSource runCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Scheduler scheduler = new(this, output.Writer, runCts.Token);
        Task producer = scheduler.RunAsync(list);
        try
        {
            await foreach (EpisodeGroup group in output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return group;
        }
        finally
        {
            // Stop producing when the consumer stops early, then wait for running episodes to end.
            runCts.Cancel();
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (runCts.IsCancellationRequested)
            {
                // The cancellation just above, asked for: nothing failed.
            }
        }
        await output.Reader.Completion.ConfigureAwait(false);
    }

    /// <summary>Disposes the idle environments the runner kept for reuse.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (ConcurrentBag<IEnvironment> bag in _idle.Values)
        {
            while (bag.TryTake(out IEnvironment? env))
                await DisposeQuietlyAsync(env).ConfigureAwait(false);
        }
        foreach (SemaphoreSlim limit in _familyLimits.Values)
            limit.Dispose();
    }

    private SemaphoreSlim? FamilyLimit(string envId)
    {
        string family = EnvSpec.FamilyOf(envId);
        if (!_options.FamilyConcurrency.TryGetValue(family, out int limit))
            return null;
        return _familyLimits.GetOrAdd(family, _ => new SemaphoreSlim(limit));
    }

    private IEnvironment RentEnvironment(string envId) =>
        _idle.TryGetValue(envId, out ConcurrentBag<IEnvironment>? bag) && bag.TryTake(out IEnvironment? env)
            ? env
            : _registry.Make(envId, _options.EnvOptions);

    private void ReturnEnvironment(string envId, IEnvironment env) =>
        _idle.GetOrAdd(envId, _ => []).Add(env);

    private async Task DisposeQuietlyAsync(IEnvironment env)
    {
        try
        {
            await env.DisposeAsync().AsTask().WaitAsync(_options.StepTimeout, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogDisposeFailed(_logger, env.Spec.Id, e);
        }
    }

    private long SamplingSeedFor(TaskSpec task, int attempt, int tryIndex)
    {
        // SplitMix64 over (base, task seed, task id, attempt, try): distinct, reproducible streams per episode.
        ulong x = (ulong)_options.SamplingSeed ^ (ulong)task.Seed * 0x9E3779B97F4A7C15UL ^ (ulong)StableHash(task.Id) ^ ((ulong)attempt << 32) ^ ((ulong)tryIndex << 48);
        return (long)(SeededRandom.Mix64(x) & long.MaxValue);
    }

    private static uint StableHash(string s)
    {
        uint h = 2166136261;
        foreach (char c in s)
            h = (h ^ c) * 16777619;
        return h;
    }

    /// <summary>Runs one episode on a rented environment; returns it, or null with the abort reason.</summary>
    private async ValueTask<(Episode? Episode, string? AbortReason, int Steps)> RunEpisodeAsync(TaskSpec task, int attempt, int tryIndex, CancellationToken cancellationToken)
    {
        TimeSpan episodeTimeout = task.Limits.TimeoutSeconds is { } ets ? TimeSpan.FromSeconds(ets) : _options.EpisodeTimeout;
        TimeSpan stepTimeout = task.Limits.StepTimeoutSeconds is { } sts ? TimeSpan.FromSeconds(sts) : _options.StepTimeout;
        DateTimeOffset startedAt = _options.TimeProvider.GetUtcNow();
        IEnvironment env;
        try
        {
            env = RentEnvironment(task.EnvId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, $"creating environment '{task.EnvId}' failed: {e.GetType().Name}: {e.Message}", 0);
        }
        EpisodeRun run = new(env, _options.TimeProvider, episodeTimeout, stepTimeout, cancellationToken);
        try
        {
            ValueTask<Observation> resetTask = env.ResetAsync(task, new ResetOptions(task.Seed), run.Token);
            Observation observation = resetTask.IsCompletedSuccessfully ? resetTask.Result : await run.WaitAsync(resetTask, EpisodePhase.Reset).ConfigureAwait(false);
            run.Context = new AgentContext(task, env.Spec, observation, SamplingSeedFor(task, attempt, tryIndex), attempt);
            run.T0 = run.Now();
            // Steps run synchronously while agent and environment complete synchronously; only a call that
            // actually went asynchronous is awaited here (under the step and episode timeouts).
            while (!AdvanceSynchronously(run))
            {
                if (run.PendingAgent is { } pendingAgent)
                {
                    run.PendingAgent = null;
                    run.Turn = await run.WaitAsync(pendingAgent, EpisodePhase.Agent).ConfigureAwait(false);
                    run.T1 = run.Now();
                    run.Phase = EpisodePhase.Step;
                    ValueTask<StepResult> step = env.StepAsync(run.Turn.Action, run.Token);
                    StepResult result = step.IsCompletedSuccessfully ? step.Result : await run.WaitAsync(step, EpisodePhase.Step).ConfigureAwait(false);
                    if (Record(run, result))
                        break;
                }
                else if (run.PendingStep is { } pendingStep)
                {
                    run.PendingStep = null;
                    if (Record(run, await run.WaitAsync(pendingStep, EpisodePhase.Step).ConfigureAwait(false)))
                        break;
                }
            }
            ReturnEnvironment(task.EnvId, env);
            StepResult last = run.Last!;
            Outcome outcome = new(
                last.Info.Success,
                last.Info.Score ?? (last.Info.Success ? 1.0 : 0.0),
                last.Terminated ? Termination.Terminated : Termination.Truncated);
            Episode episode = new()
            {
                Id = $"{_options.RunId}/{task.Id}/{attempt}",
                Suite = task.Suite,
                TaskId = task.Id,
                EnvId = task.EnvId,
                Split = task.Split,
                Group = GroupIdOf(task),
                Seed = task.Seed,
                SamplingSeed = run.Context.SamplingSeed,
                Attempt = attempt,
                PolicyVersion = _options.PolicyVersion,
                Agent = _agent.Name,
                Instruction = task.Instruction,
                Steps = run.Context.HistoryList,
                FinalObservation = run.Context.Observation,
                Outcome = outcome,
                StartedAt = startedAt,
                DurationSeconds = run.Seconds(run.Now() - run.Start),
            };
            return (episode, null, episode.Steps.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Cancel();
            await DisposeQuietlyAsync(env).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            run.Cancel();
            string reason = e switch
            {
                EpisodeTimeoutException => $"episode timed out after {episodeTimeout.TotalSeconds:0.###} s",
                TimeoutException => $"{PhaseName(run.Phase)} timed out after {stepTimeout.TotalSeconds:0.###} s",
                _ => $"{(run.Phase == EpisodePhase.Agent ? "agent" : "environment")} failed in {PhaseName(run.Phase)}: {e.GetType().Name}: {e.Message}",
            };
            LogEpisodeAborted(_logger, task.Id, attempt, tryIndex + 1, reason);
            await DisposeQuietlyAsync(env).ConfigureAwait(false);
            return (null, reason, run.Context?.StepIndex ?? 0);
        }
        finally
        {
            run.Dispose();
        }
    }

    // As abort reasons have always said it.
    private static string PhaseName(EpisodePhase phase) => phase switch
    {
        EpisodePhase.Reset => "reset",
        EpisodePhase.Agent => "agent",
        _ => "step",
    };

    // The hot loop, kept free of awaits so the JIT can keep it tight. Returns true when the episode ended, false
    // when the agent or the environment went asynchronous (its pending call is left in `run`).
    private bool AdvanceSynchronously(EpisodeRun run)
    {
        AgentContext context = run.Context!;
        IEnvironment env = run.Environment;
        CancellationToken token = run.Token;
        while (true)
        {
            run.Phase = EpisodePhase.Agent;
            ValueTask<AgentTurn> act = _agent.ActAsync(context, token);
            if (!act.IsCompletedSuccessfully)
            {
                run.PendingAgent = act;
                return false;
            }
            AgentTurn turn = act.Result;
            run.Turn = turn;
            run.T1 = run.Now();
            run.Phase = EpisodePhase.Step;
            ValueTask<StepResult> step = env.StepAsync(turn.Action, token);
            if (!step.IsCompletedSuccessfully)
            {
                run.PendingStep = step;
                return false;
            }
            if (Record(run, step.Result))
                return true;
        }
    }

    // Records a finished step; returns true when the episode is over. Checks the episode deadline between steps.
    private static bool Record(EpisodeRun run, StepResult result)
    {
        long t2 = run.Now();
        AgentContext context = run.Context!;
        AgentTurn turn = run.Turn!;
        EpisodeStep step = new(context.StepIndex, context.Observation, turn.Action, result.Reward, result.Terminated, result.Truncated,
            result.Info, turn.Trace, run.Seconds(run.T1 - run.T0), run.Seconds(t2 - run.T1), turn.Usage);
        context.Record(step, result.Observation);
        run.T0 = t2;
        if (result.Done)
        {
            run.Last = result;
            return true;
        }
        if (t2 > run.Deadline)
            throw new EpisodeTimeoutException();
        return false;
    }

    private string GroupIdOf(TaskSpec task) => $"{_options.RunId}/{task.Id}";

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Episode {TaskId}#{Attempt} aborted on try {Try}: {Reason}")]
    private static partial void LogEpisodeAborted(ILogger logger, string taskId, int attempt, int @try, string reason);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Disposing environment {EnvId} failed")]
    private static partial void LogDisposeFailed(ILogger logger, string envId, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Group {GroupId} dropped: an episode aborted {Tries} times")]
    private static partial void LogGroupDropped(ILogger logger, string groupId, int tries);
}
