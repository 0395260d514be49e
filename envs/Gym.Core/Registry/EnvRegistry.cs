using System.Collections.Concurrent;

namespace Gym.Core.Registry;

/// <summary>A registered environment: its spec, how to make one, and optionally its scripted oracle.</summary>
/// <param name="Spec">The environment's description.</param>
/// <param name="Factory">Creates a fresh, unwrapped environment.</param>
/// <param name="OracleFactory">Creates the scripted oracle agent that solves this environment's tasks, if it has one.</param>
public sealed record EnvRegistration(EnvSpec Spec, Func<IEnvironment> Factory, Func<IAgent>? OracleFactory = null);

/// <summary>Options for <see cref="EnvRegistry.Make"/>: which standard wrappers to apply.</summary>
public sealed record EnvMakeOptions
{
    /// <summary>Reward added to a step whose action was invalid (default -0.1; 0 turns it off).</summary>
    public double InvalidActionPenalty { get; init; } = -0.1;

    /// <summary>Whether to truncate episodes at the task's (or the env's) step limit (default true).</summary>
    public bool ApplyTimeLimit { get; init; } = true;
}

/// <summary>Maps environment ids ("text/sokoban-v1") to factories. Thread-safe.</summary>
public sealed class EnvRegistry
{
    private readonly ConcurrentDictionary<string, EnvRegistration> _entries = new(StringComparer.Ordinal);

    /// <summary>Registers an environment; an id can be registered once.</summary>
    public void Register(EnvRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        string id = registration.Spec.Id;
        if (!id.Contains('/', StringComparison.Ordinal) || EnvSpec.FamilyOf(id) != registration.Spec.Family)
            throw new ArgumentException($"Environment id '{id}' must have the form '{registration.Spec.Family}/name-vN'.", nameof(registration));
        if (!_entries.TryAdd(id, registration))
            throw new InvalidOperationException($"Environment '{id}' is already registered.");
    }

    /// <summary>All registrations, ordered by id.</summary>
    public IReadOnlyList<EnvRegistration> All => [.. _entries.Values.OrderBy(e => e.Spec.Id, StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="envId"/> is registered.</summary>
    public bool Contains(string envId) => _entries.ContainsKey(envId);

    /// <summary>The registration of <paramref name="envId"/>, or a clear error listing the known ids.</summary>
    public EnvRegistration Get(string envId)
    {
        ArgumentException.ThrowIfNullOrEmpty(envId);
        if (_entries.TryGetValue(envId, out EnvRegistration? entry))
            return entry;
        string known = string.Join(", ", _entries.Keys.Order(StringComparer.Ordinal));
        throw new KeyNotFoundException($"Unknown environment '{envId}'. Registered: {known}.");
    }

    /// <summary>Creates <paramref name="envId"/> with the standard wrappers (time limit, invalid-action penalty).</summary>
    public IEnvironment Make(string envId, EnvMakeOptions? options = null)
    {
        options ??= new EnvMakeOptions();
        IEnvironment env = Get(envId).Factory();
        if (options.ApplyTimeLimit)
            env = new Wrappers.TimeLimitWrapper(env);
        if (options.InvalidActionPenalty != 0)
            env = new Wrappers.InvalidActionPenaltyWrapper(env, options.InvalidActionPenalty);
        return env;
    }
}
