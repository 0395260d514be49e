using System.Text.Json;
using Gym.Core;

namespace Gym.Envs.Gui.Tests;

/// <summary>Tasks written inline for the tests.</summary>
internal static class GuiTaskFixtures
{
    public static TaskSpec Task(string config, string id = "t") => new()
    {
        Id = id,
        EnvId = GuiEnvironment.Id,
        Instruction = "Do the task.",
        Config = JsonDocument.Parse(config).RootElement.Clone(),
    };

    /// <summary>A task of a generated kind with its seed.</summary>
    public static TaskSpec Kind(string kind, long seed) => Task($$"""{"kind": "{{kind}}"}""", $"{kind}-{seed}") with { Seed = seed };

    public static async Task<StepResult> Step(IEnvironment env, string action) => await env.StepAsync(AgentAction.FromText(action));
}
