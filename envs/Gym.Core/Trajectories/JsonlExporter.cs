using System.Text.Json;

namespace Gym.Core.Trajectories;

/// <summary>
/// Exports episodes as JSON Lines in the OpenAI chat <c>messages</c> shape, one episode per line: the task
/// instruction and each observation as user turns, each action as an assistant turn. Used for SFT data and
/// Python tools.
/// </summary>
public static class JsonlExporter
{
    /// <summary>Writes one line per episode to <paramref name="output"/>.</summary>
    public static void Write(IEnumerable<Episode> episodes, Stream output, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        using Utf8JsonWriter json = new(output, new JsonWriterOptions { Indented = false, SkipValidation = false });
        foreach (Episode e in episodes)
        {
            json.Reset(output);
            json.WriteStartObject();
            json.WriteStartArray("messages");
            if (!string.IsNullOrEmpty(systemPrompt))
                Message(json, "system", systemPrompt);
            for (int i = 0; i < e.Steps.Count; i++)
            {
                EpisodeStep step = e.Steps[i];
                string user = i == 0 && e.Instruction.Length > 0 && !step.Observation.Text.Contains(e.Instruction, StringComparison.Ordinal)
                    ? e.Instruction + "\n\n" + step.Observation.Text
                    : step.Observation.Text;
                Message(json, "user", user);
                Message(json, "assistant", step.Action.Text);
            }
            json.WriteEndArray();
            json.WriteStartObject("metadata");
            json.WriteString("episode_id", e.Id);
            json.WriteString("suite", e.Suite);
            json.WriteString("task_id", e.TaskId);
            json.WriteString("env_id", e.EnvId);
            json.WriteString("group", e.Group);
            json.WriteNumber("seed", e.Seed);
            json.WriteString("agent", e.Agent);
            json.WriteBoolean("success", e.Outcome.Success);
            json.WriteNumber("score", e.Outcome.Score);
            json.WriteString("termination", e.Outcome.Termination.ToString().ToLowerInvariant());
            json.WriteNumber("return", e.Return);
            json.WriteNumber("steps", e.Steps.Count);
            json.WriteEndObject();
            json.WriteEndObject();
            json.Flush();
            output.WriteByte((byte)'\n');
        }
    }

    private static void Message(Utf8JsonWriter json, string role, string content)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        json.WriteString("content", content);
        json.WriteEndObject();
    }
}
