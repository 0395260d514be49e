namespace Gym.Models;

/// <summary>Turns text into token ids and back; the seam where a Hugging Face tokenizer can replace the byte tokenizer.</summary>
public interface ITokenizer
{
    /// <summary>The number of ids (the model's vocabulary must be at least this large).</summary>
    int VocabSize { get; }

    /// <summary>Padding id.</summary>
    int PadId { get; }

    /// <summary>The id that ends an assistant turn.</summary>
    int EndOfTurnId { get; }

    /// <summary>The ids of plain text (no special tokens).</summary>
    int[] Encode(string text);

    /// <summary>The text of ids; special tokens are rendered as their names unless skipped.</summary>
    string Decode(ReadOnlySpan<int> ids, bool skipSpecial = true);

    /// <summary>The ids of a chat in this tokenizer's template; with <paramref name="addGenerationPrompt"/> it ends ready for the assistant's reply.</summary>
    int[] ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt);
}

/// <summary>A chat message; roles are system, user, assistant and observation.</summary>
/// <param name="Role">The role.</param>
/// <param name="Content">The text.</param>
public sealed record ChatMessage(string Role, string Content);
