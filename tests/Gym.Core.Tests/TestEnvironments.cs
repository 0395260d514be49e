using Gym.Core.Registry;

namespace Gym.Core.Tests;

/// <summary>Small environments with controllable behaviour for runner, wrapper and checker tests.</summary>
internal sealed class ScriptedEnvironment(string id, Func<int, StepResult?>? onStep = null, int length = 3) : IEnvironment
{
    private int _step;
    private int _progress;
    private bool _disposed;

    public EnvSpec Spec { get; } = new() { Id = id, Family = EnvSpec.FamilyOf(id), MaxSteps = 100 };

    public Func<TaskSpec, CancellationToken, ValueTask>? OnReset { get; init; }

    public ValueTask<Observation> ResetAsync(TaskSpec task, ResetOptions options, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _step = _progress = 0;
        Observation obs = new() { Text = $"start {options.Seed}", StateKey = "s0", AdmissibleActions = ["go"] };
        return OnReset is null ? new(obs) : Await(OnReset(task, cancellationToken), obs);

        static async ValueTask<Observation> Await(ValueTask pending, Observation obs)
        {
            await pending;
            return obs;
        }
    }

    public ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _step++;
        if (onStep?.Invoke(_step) is { } scripted)
            return new(scripted);
        bool valid = action.Text == "go";
        if (valid)
            _progress++;
        bool done = _progress >= length;
        StepInfo info = valid ? new StepInfo { Success = done, Score = done ? 1 : null } : StepInfo.Invalid("say go");
        return new(new StepResult(new Observation { Text = $"step {_step}", StateKey = $"s{_step}", AdmissibleActions = ["go"] }, done ? 1 : 0, done, false, info));
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>An agent that always says the same thing.</summary>
internal sealed class ConstantAgent(string text = "go") : IAgent
{
    public string Name => "constant";

    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default) => new(AgentTurn.FromText(text));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal static class TestRegistry
{
    public static EnvRegistry With(string id, Func<IEnvironment> factory)
    {
        EnvRegistry registry = new();
        registry.Register(new EnvRegistration(new EnvSpec { Id = id, Family = EnvSpec.FamilyOf(id), MaxSteps = 100 }, factory));
        return registry;
    }

    public static TaskSpec Task(string id, string envId = "test/scripted-v1", long seed = 1) => new() { Id = id, EnvId = envId, Seed = seed, Suite = "test" };
}
