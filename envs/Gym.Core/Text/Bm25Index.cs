namespace Gym.Core.Text;

/// <summary>A document of a search collection.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Title">Its title.</param>
/// <param name="Text">Its text.</param>
public sealed record SearchDocument(string Id, string Title, string Text);

/// <summary>Okapi BM25 over a fixed collection (k1 = 1.2, b = 0.75; lower-cased alphanumeric tokens; title and text).</summary>
public sealed class Bm25Index
{
    private const double K1 = 1.2, B = 0.75;
    private readonly IReadOnlyList<SearchDocument> _documents;
    private readonly List<Dictionary<string, int>> _termCounts = [];
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    /// <summary>Indexes <paramref name="documents"/>.</summary>
    public Bm25Index(IReadOnlyList<SearchDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _documents = documents;
        foreach (SearchDocument d in documents)
        {
            Dictionary<string, int> counts = new(StringComparer.Ordinal);
            foreach (string t in Tokens(d.Title + " " + d.Text))
                counts[t] = counts.GetValueOrDefault(t) + 1;
            _termCounts.Add(counts);
            foreach (string t in counts.Keys)
                _documentFrequency[t] = _documentFrequency.GetValueOrDefault(t) + 1;
        }
        _averageLength = _termCounts.Count == 0 ? 0 : _termCounts.Average(c => c.Values.Sum());
    }

    /// <summary>The <paramref name="k"/> best documents for <paramref name="query"/>, best first (ties by id).</summary>
    public IReadOnlyList<(SearchDocument Document, double Score)> Search(string query, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(query);
        string[] terms = [.. Tokens(query).Distinct(StringComparer.Ordinal)];
        List<(SearchDocument, double)> scored = [];
        for (int i = 0; i < _documents.Count; i++)
        {
            Dictionary<string, int> counts = _termCounts[i];
            int length = counts.Values.Sum();
            double score = 0;
            foreach (string t in terms)
            {
                if (!counts.TryGetValue(t, out int f))
                    continue;
                int n = _documentFrequency[t];
                double idf = Math.Log(1 + (_documents.Count - n + 0.5) / (n + 0.5));
                score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length / _averageLength));
            }
            if (score > 0)
                scored.Add((_documents[i], score));
        }
        return [.. scored.OrderByDescending(s => s.Item2).ThenBy(s => s.Item1.Id, StringComparer.Ordinal).Take(k)];
    }

    /// <summary>Lower-cased runs of letters and digits.</summary>
    public static IEnumerable<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool word = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (word && start < 0)
                start = i;
            else if (!word && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}
