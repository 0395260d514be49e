namespace Gym.Envs.Text.Household;

/// <summary>The task config of <c>text/household-v1</c>.</summary>
public sealed record HouseholdConfig
{
    /// <summary>The scenes a world is drawn from (kitchen, livingroom, bedroom, bathroom); empty means all.</summary>
    public IReadOnlyList<string> Scenes { get; init; } = [];

    /// <summary>The goal types drawn from (place, clean, heat, cool); empty means all.</summary>
    public IReadOnlyList<HouseholdTaskType> TaskTypes { get; init; } = [];

    /// <summary>Objects placed in the world.</summary>
    public int Objects { get; init; } = 10;
}
