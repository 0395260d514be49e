namespace Gym.Models.Generation;

/// <summary>
/// The token sequences of a set of admissible strings, as a trie: at each step of constrained decoding the
/// allowed next tokens are the children of the node reached so far. Each string ends with the end token, so a
/// sequence stops exactly when it has produced one whole admissible string.
/// </summary>
public sealed class TokenTrie
{
    private sealed class Node
    {
        public Dictionary<int, Node> Children { get; } = [];
    }

    private readonly Node _root = new();

    /// <summary>Builds the trie of <paramref name="choices"/> encoded by <paramref name="tokenizer"/>, each followed by <paramref name="endId"/>.</summary>
    public TokenTrie(IEnumerable<string> choices, ITokenizer tokenizer, int endId)
    {
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(tokenizer);
        foreach (string choice in choices)
        {
            Node node = _root;
            foreach (int id in tokenizer.Encode(choice).Append(endId))
            {
                if (!node.Children.TryGetValue(id, out Node? next))
                    node.Children[id] = next = new Node();
                node = next;
            }
            Count++;
        }
        if (Count == 0)
            throw new ArgumentException("Constrained decoding needs at least one admissible string.", nameof(choices));
    }

    /// <summary>How many strings it holds.</summary>
    public int Count { get; }

    /// <summary>The tokens allowed after <paramref name="prefix"/> (empty when the prefix left the trie or finished).</summary>
    public IReadOnlyCollection<int> Allowed(ReadOnlySpan<int> prefix)
    {
        Node node = _root;
        foreach (int id in prefix)
        {
            if (!node.Children.TryGetValue(id, out Node? next))
                return [];
            node = next;
        }
        return node.Children.Keys;
    }
}
