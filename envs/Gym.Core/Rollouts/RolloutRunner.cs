using System.Collections.Concurrent;
using System.Diagnostics;
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
    private readonly SemaphoreSlim _globalLimit;

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
        _globalLimit = new SemaphoreSlim(_options.MaxConcurrentEpisodes);
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
        Channel<EpisodeGroup> output = Channel.CreateUnbounded<EpisodeGroup>(new UnboundedChannelOptions { SingleReader = true });
        using CancellationTokenSource runCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Scheduler scheduler = new(this, output.Writer, runCts.Token);
        Task producer = scheduler.ProduceAsync(list);
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
                await scheduler.Drained.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
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
        _globalLimit.Dispose();
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
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return (long)((x ^ (x >> 31)) & long.MaxValue);
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
        TimeProvider time = _options.TimeProvider;
        TimeSpan episodeTimeout = task.Limits.TimeoutSeconds is { } ets ? TimeSpan.FromSeconds(ets) : _options.EpisodeTimeout;
        TimeSpan stepTimeout = task.Limits.StepTimeoutSeconds is { } sts ? TimeSpan.FromSeconds(sts) : _options.StepTimeout;
        DateTimeOffset startedAt = time.GetUtcNow();
        long start = Stopwatch.GetTimestamp();
        IEnvironment env;
        try
        {
            env = RentEnvironment(task.EnvId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, $"creating environment '{task.EnvId}' failed: {e.GetType().Name}: {e.Message}", 0);
        }
        using CancellationTokenSource timeoutCts = new(episodeTimeout, time);
        using CancellationTokenSource episodeCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        CancellationToken token = episodeCts.Token;
        long samplingSeed = SamplingSeedFor(task, attempt, tryIndex);
        AgentContext? context = null;
        string phase = "reset";
        _batching?.EpisodeStarted();
        try
        {
            ValueTask<Observation> resetTask = env.ResetAsync(task, new ResetOptions(task.Seed), token);
            Observation observation = resetTask.IsCompletedSuccessfully ? resetTask.Result : await WithTimeout(resetTask, stepTimeout, token).ConfigureAwait(false);
            context = new AgentContext(task, env.Spec, observation, samplingSeed, attempt);
            long t0 = Stopwatch.GetTimestamp();
            StepResult last;
            while (true)
            {
                phase = "agent";
                ValueTask<AgentTurn> act = _agent.ActAsync(context, token);
                AgentTurn turn = act.IsCompletedSuccessfully ? act.Result : await act.AsTask().WaitAsync(token).ConfigureAwait(false);
                long t1 = Stopwatch.GetTimestamp();
                phase = "step";
                ValueTask<StepResult> stepTask = env.StepAsync(turn.Action, token);
                StepResult result = stepTask.IsCompletedSuccessfully ? stepTask.Result : await WithTimeout(stepTask, stepTimeout, token).ConfigureAwait(false);
                long t2 = Stopwatch.GetTimestamp();
                EpisodeStep step = new(context.StepIndex, context.Observation, turn.Action, result.Reward, result.Terminated, result.Truncated,
                    result.Info, turn.Trace, Seconds(t1 - t0), Seconds(t2 - t1));
                context.Record(step, result.Observation);
                t0 = t2;
                if (result.Done)
                {
                    last = result;
                    break;
                }
            }
            ReturnEnvironment(task.EnvId, env);
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
                SamplingSeed = samplingSeed,
                Attempt = attempt,
                PolicyVersion = _options.PolicyVersion,
                Agent = _agent.Name,
                Instruction = task.Instruction,
                Steps = context.HistoryList,
                FinalObservation = context.Observation,
                Outcome = outcome,
                StartedAt = startedAt,
                DurationSeconds = Seconds(Stopwatch.GetTimestamp() - start),
            };
            return (episode, null, episode.Steps.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(env).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            string reason = e switch
            {
                OperationCanceledException when timeoutCts.IsCancellationRequested => $"episode timed out after {episodeTimeout.TotalSeconds:0.###} s",
                TimeoutException => $"{phase} timed out after {stepTimeout.TotalSeconds:0.###} s",
                _ => $"{(phase == "agent" ? "agent" : "environment")} failed in {phase}: {e.GetType().Name}: {e.Message}",
            };
            LogEpisodeAborted(_logger, task.Id, attempt, tryIndex + 1, reason);
            await DisposeQuietlyAsync(env).ConfigureAwait(false);
            return (null, reason, context?.StepIndex ?? 0);
        }
        finally
        {
            _batching?.EpisodeEnded();
        }
    }

    private string GroupIdOf(TaskSpec task) => $"{_options.RunId}/{task.Id}";

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private async ValueTask<T> WithTimeout<T>(ValueTask<T> pending, TimeSpan timeout, CancellationToken token)
    {
        Task<T> task = pending.AsTask();
        try
        {
            return await task.WaitAsync(timeout, _options.TimeProvider, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The abandoned call may still fail later: observe it so it is not reported as unobserved.
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Episode {TaskId}#{Attempt} aborted on try {Try}: {Reason}")]
    private static partial void LogEpisodeAborted(ILogger logger, string taskId, int attempt, int @try, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disposing environment {EnvId} failed")]
    private static partial void LogDisposeFailed(ILogger logger, string envId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId} dropped: an episode aborted {Tries} times")]
    private static partial void LogGroupDropped(ILogger logger, string groupId, int tries);
}
