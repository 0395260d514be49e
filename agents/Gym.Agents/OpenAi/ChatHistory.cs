using Gym.Agents.Policy;
using Gym.Core;
using Gym.Core.Trajectories;
using OpenAI.Chat;

namespace Gym.Agents.OpenAi;

/// <summary>
/// An episode as chat messages, laid out as <see cref="PromptRenderer"/> lays out the local policy's prompts (so a
/// Gym checkpoint behind <c>gym serve</c> sees what it was trained on): the system message with the environment's
/// action syntax, the task with the first shown observation, then each action as an assistant message followed by
/// what came back. An action that called tools natively becomes an assistant message with those calls, answered by
/// one tool message per call. The current observation's images go with it as image parts.
/// </summary>
internal static class ChatHistory
{
    public static List<OpenAI.Chat.ChatMessage> Messages(AgentContext context, OpenAiAgentOptions options)
    {
        IReadOnlyList<EpisodeStep> history = context.History;
        int first = Math.Max(0, history.Count - options.HistoryTurns);
        List<Gym.Models.ChatMessage> rendered = PromptRenderer.Messages(context, options.HistoryTurns, options.ShowAdmissibleActions, options.SystemPrompt);
        List<OpenAI.Chat.ChatMessage> messages = [];
        int at = 0;
        if (rendered[0].Role == "system")
            messages.Add(new SystemChatMessage(rendered[at++].Content));
        for (int i = first; i <= history.Count; i++)
        {
            // The observation step i acted on: after a native call it is the calls' results.
            EpisodeStep? previous = i > first ? history[i - 1] : null;
            Observation observation = i < history.Count ? history[i].Observation : context.Observation;
            string text = rendered[at++].Content;
            if (previous is { Action.ToolCalls.Count: > 0 })
            {
                // Every call gets its own answer; an environment that did not answer it separately (an invalid call) gives its whole text.
                foreach (ToolCall call in previous.Action.ToolCalls)
                    messages.Add(new ToolChatMessage(call.Id, observation.ToolResults.FirstOrDefault(r => r.CallId == call.Id)?.Content ?? observation.Text));
                if (i == history.Count && observation.Images.Count > 0)
                    messages.Add(User("", observation));
            }
            else
            {
                messages.Add(User(text, i == history.Count ? observation : null));
            }
            if (i == history.Count)
                break;
            AgentAction action = history[i].Action;
            string said = rendered[at++].Content;
            if (action.ToolCalls.Count > 0)
            {
                AssistantChatMessage assistant = new(action.ToolCalls.Select(c => ChatToolCall.CreateFunctionToolCall(c.Id, c.Name, BinaryData.FromString(c.ArgumentsJson))));
                if (said.Length > 0)
                    assistant.Content.Add(ChatMessageContentPart.CreateTextPart(said));
                messages.Add(assistant);
            }
            else
            {
                messages.Add(new AssistantChatMessage(said));
            }
        }
        return messages;
    }

    // Images are sent with the current observation only: older screenshots would multiply the request's size.
    private static UserChatMessage User(string text, Observation? withImages)
    {
        if (withImages is not { Images.Count: > 0 })
            return new UserChatMessage(text);
        List<ChatMessageContentPart> parts = [];
        if (text.Length > 0)
            parts.Add(ChatMessageContentPart.CreateTextPart(text));
        foreach (ObservationImage image in withImages.Images)
            parts.Add(ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(image.Data), image.MediaType));
        return new UserChatMessage(parts);
    }
}
