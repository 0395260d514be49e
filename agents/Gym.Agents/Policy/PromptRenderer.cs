using System.Text;
using Gym.Core;
using Gym.Core.Trajectories;
using Gym.Models;

namespace Gym.Agents.Policy;

/// <summary>
/// Renders the chat a policy sees for one turn: a system message (the environment's action syntax and the
/// answer format), the task and the last turns, and the current observation with the admissible actions.
/// </summary>
public static class PromptRenderer
{
    /// <summary>The answer format, as the system message states it.</summary>
    public const string AnswerFormat = "Answer with the action only, on one line (or wrap it as <action>...</action>).";

    /// <summary>The messages of the turn described by <paramref name="context"/>.</summary>
    public static List<ChatMessage> Messages(AgentContext context, int historyTurns, bool showAdmissible, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Messages(context.Task.Instruction, context.Env.ActionSyntax, context.History, context.Observation, historyTurns, showAdmissible, systemPrompt);
    }

    /// <summary>The messages of a turn given its parts (also used to rebuild the prompts of stored episodes for SFT).</summary>
    public static List<ChatMessage> Messages(string instruction, string actionSyntax, IReadOnlyList<EpisodeStep> history, Observation current,
        int historyTurns, bool showAdmissible, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(current);
        string system = systemPrompt ?? $"You are an agent acting in a text environment. {actionSyntax} {AnswerFormat}".Trim();
        List<ChatMessage> messages = system.Length > 0 ? [new("system", system)] : [];
        StringBuilder task = new();
        if (instruction.Length > 0)
            task.Append("Task: ").Append(instruction);
        int first = Math.Max(0, history.Count - historyTurns);
        if (first > 0)
            task.Append(task.Length > 0 ? "\n" : "").Append('(').Append(first).Append(" earlier turns not shown.)");
        bool taskShown = false;
        for (int i = first; i < history.Count; i++)
        {
            EpisodeStep step = history[i];
            messages.Add(new ChatMessage("user", WithTask(step.Observation.Text, task, ref taskShown)));
            messages.Add(new ChatMessage("assistant", step.Action.Text));
        }
        string text = current.Text;
        if (showAdmissible && current.AdmissibleActions.Count > 0)
            text += "\nAdmissible actions: " + string.Join(" | ", current.AdmissibleActions);
        messages.Add(new ChatMessage("user", WithTask(text, task, ref taskShown)));
        return messages;
    }

    private static string WithTask(string text, StringBuilder task, ref bool shown)
    {
        if (shown || task.Length == 0)
            return text;
        shown = true;
        return task + "\n\n" + text;
    }

    /// <summary>
    /// The action in a response: the text inside the first &lt;action&gt;...&lt;/action&gt;, else the first
    /// non-empty line. Empty when there is none (the environment then reports an invalid action).
    /// </summary>
    public static string ExtractAction(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        int open = response.IndexOf("<action>", StringComparison.OrdinalIgnoreCase);
        if (open >= 0)
        {
            int close = response.IndexOf("</action>", open + 8, StringComparison.OrdinalIgnoreCase);
            return (close >= 0 ? response[(open + 8)..close] : response[(open + 8)..]).Trim();
        }
        return response.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
    }
}
