using System.Text.Json;

namespace Gym.Envs.Tools.Retail;

/// <summary>The task config of <c>tools/retail-v1</c>.</summary>
public sealed record RetailConfig
{
    /// <summary>
    /// Who plays the customer: absent or <c>"scripted"</c> for the scripted customer, or
    /// <c>{"model", "baseUrl", "temperature", "maxTokens"}</c> for a model behind an OpenAI-compatible API
    /// (<see cref="ModelCustomerOptions.Read"/>).
    /// </summary>
    public JsonElement Customer { get; init; }
}
