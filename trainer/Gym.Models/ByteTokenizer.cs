using System.Text;

namespace Gym.Models;

/// <summary>
/// The default tokenizer: one id per UTF-8 byte (0-255) plus special tokens for the chat template
/// (<c>&lt;|system|&gt;</c>, <c>&lt;|user|&gt;</c>, <c>&lt;|assistant|&gt;</c>, <c>&lt;|observation|&gt;</c>,
/// <c>&lt;|end|&gt;</c>, padding, begin and end of sequence). Every string has exactly one encoding, which
/// constrained decoding relies on.
/// </summary>
public sealed class ByteTokenizer : ITokenizer
{
    /// <summary>The vocabulary size models use with this tokenizer (264 ids, rounded up to a multiple of 16).</summary>
    public const int DefaultVocabSize = 272;

    /// <summary>Special tokens by name, from id 256.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = ["<|pad|>", "<|bos|>", "<|eos|>", "<|system|>", "<|user|>", "<|assistant|>", "<|observation|>", "<|end|>"];

    /// <summary>Padding.</summary>
    public const int Pad = 256;
    /// <summary>Beginning of sequence.</summary>
    public const int Bos = 257;
    /// <summary>End of sequence.</summary>
    public const int Eos = 258;
    /// <summary>Starts a system message.</summary>
    public const int System = 259;
    /// <summary>Starts a user message.</summary>
    public const int User = 260;
    /// <summary>Starts an assistant message.</summary>
    public const int Assistant = 261;
    /// <summary>Starts an observation (environment) message.</summary>
    public const int ObservationRole = 262;
    /// <summary>Ends any message.</summary>
    public const int End = 263;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <inheritdoc />
    public int VocabSize => 256 + SpecialTokens.Count;

    /// <inheritdoc />
    public int PadId => Pad;

    /// <inheritdoc />
    public int EndOfTurnId => End;

    /// <inheritdoc />
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Utf8.GetBytes(text);
        int[] ids = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            ids[i] = bytes[i];
        return ids;
    }

    /// <inheritdoc />
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecial = true)
    {
        StringBuilder text = new();
        List<byte> run = [];
        void Flush()
        {
            if (run.Count > 0)
            {
                text.Append(Utf8.GetString([.. run]));
                run.Clear();
            }
        }
        foreach (int id in ids)
        {
            if (id is >= 0 and < 256)
            {
                run.Add((byte)id);
                continue;
            }
            Flush();
            if (!skipSpecial)
                text.Append(id - 256 < SpecialTokens.Count && id >= 256 ? SpecialTokens[id - 256] : $"<|{id}|>");
        }
        Flush();
        return text.ToString();
    }

    /// <inheritdoc />
    public int[] ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<int> ids = [Bos];
        foreach (ChatMessage m in messages)
        {
            ids.Add(RoleToken(m.Role));
            ids.AddRange(Encode(m.Content));
            ids.Add(End);
        }
        if (addGenerationPrompt)
            ids.Add(Assistant);
        return [.. ids];
    }

    /// <summary>The special token that starts a message of <paramref name="role"/>.</summary>
    public static int RoleToken(string role) => role switch
    {
        "system" => System,
        "user" => User,
        "assistant" => Assistant,
        "observation" or "tool" => ObservationRole,
        _ => throw new ArgumentException($"Unknown chat role '{role}' (system, user, assistant, observation).", nameof(role)),
    };
}
