using System.Text.Json;
using Gym.Core;

namespace Gym.Envs.Web.Tests;

internal static class WebTaskFixtures
{
    public static TaskSpec Widget(string widget, long seed = 3) => new()
    {
        Id = $"{widget}-{seed}", EnvId = WebEnvironment.Id, Seed = seed,
        Config = JsonDocument.Parse($$"""{"site": "widgets", "widget": "{{widget}}"}""").RootElement,
    };

    public static AgentAction Act(string text) => AgentAction.FromText(text);
}
