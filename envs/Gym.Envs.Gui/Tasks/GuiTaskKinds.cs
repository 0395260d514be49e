using System.Text.Json.Nodes;

namespace Gym.Envs.Gui.Tasks;

/// <summary>Task kinds that generate a task's config from a seed.</summary>
public static class GuiTaskKinds
{
    /// <summary>The config of kind <paramref name="kind"/> for <paramref name="seed"/>.</summary>
    public static JsonObject Generate(string kind, long seed, string where) =>
        throw new InvalidDataException($"{where}: config.kind '{kind}' is not a GUI task kind.");
}
