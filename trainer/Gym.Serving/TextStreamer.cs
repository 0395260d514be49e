using Gym.Models;

namespace Gym.Serving;

/// <summary>
/// Turns each choice's tokens, as they come, into text deltas that never need taking back: text that could still
/// become the start of a stop sequence (the last longest-stop-minus-one characters) and an unfinished UTF-8
/// character are held until the next token or the end.
/// </summary>
internal sealed class TextStreamer(ITokenizer tokenizer, int choices, IReadOnlyList<string> stops)
{
    private readonly List<int>[] _tokens = [.. Enumerable.Range(0, choices).Select(_ => new List<int>())];
    private readonly int[] _sent = new int[choices];
    private readonly bool[] _stopped = new bool[choices];
    private readonly int _holdBack = stops.Count == 0 ? 0 : stops.Max(s => s.Length) - 1;

    /// <summary>Adds a token of <paramref name="choice"/>; returns the text that is now safe to send (possibly empty).</summary>
    public string Add(int choice, int token)
    {
        _tokens[choice].Add(token);
        if (_stopped[choice])
            return "";
        string text = tokenizer.Decode(_tokens[choice].ToArray());
        if (stops.Any(s => text.Contains(s, StringComparison.Ordinal)))
        {
            _stopped[choice] = true;         // the final text, cut at the stop, sends the rest
            return "";
        }
        int safe = text.Length - _holdBack;
        while (safe > 0 && text[safe - 1] == '\uFFFD')
            safe--;
        if (safe <= _sent[choice])
            return "";
        string delta = text[_sent[choice]..safe];
        _sent[choice] = safe;
        return delta;
    }

    /// <summary>What remains to send of a finished choice, given its final text.</summary>
    public string Rest(int choice, string finalText) => _sent[choice] < finalText.Length ? finalText[_sent[choice]..] : "";
}
