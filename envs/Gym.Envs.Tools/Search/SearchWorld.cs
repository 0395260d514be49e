using System.Globalization;
using Gym.Core;
using Gym.Core.Text;

namespace Gym.Envs.Tools.Search;

/// <summary>
/// A fictional encyclopedia, the same for every task: countries, cities (each in a country, with a population),
/// people (each born in a city, with a profession) and companies (each founded by a person in a year, with a
/// headquarters city), one article each. Names are made of seeded syllables, so no model knows the answers
/// beforehand: they must be looked up.
/// </summary>
public sealed class SearchWorld
{
    private static readonly string[] Syllables = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "dor", "an", "is", "po", "qu", "ri", "zen", "bel", "cor", "fa", "gil", "hu", "jor", "ne", "os", "pra", "ul"];
    private static readonly string[] Professions = ["painter", "engineer", "chemist", "poet", "architect", "pilot", "composer", "botanist", "lawyer", "astronomer"];
    private static readonly string[] Industries = ["shipping", "software", "textiles", "glassworks", "mining", "publishing", "optics", "brewing"];

    // Declared after the word lists it is built from (static fields initialise in order).
    /// <summary>The encyclopedia every task uses.</summary>
    public static readonly SearchWorld Default = new(seed: 7);

    /// <summary>Country names.</summary>
    public List<string> Countries { get; } = [];
    /// <summary>Cities: name, country, population.</summary>
    public List<(string Name, string Country, int Population)> Cities { get; } = [];
    /// <summary>People: name, birth city, profession.</summary>
    public List<(string Name, string City, string Profession)> People { get; } = [];
    /// <summary>Companies: name, founder, year, headquarters city, industry.</summary>
    public List<(string Name, string Founder, int Year, string City, string Industry)> Companies { get; } = [];
    /// <summary>One article per entity.</summary>
    public List<SearchDocument> Documents { get; } = [];
    /// <summary>The search index over <see cref="Documents"/>.</summary>
    public Bm25Index Index { get; }

    private SearchWorld(long seed)
    {
        SeededRandom r = new(seed, stream: 0x5EA2);
        HashSet<string> used = [];
        string Name(int parts)
        {
            while (true)
            {
                string n = string.Concat(Enumerable.Range(0, parts).Select(_ => r.Pick(Syllables)));
                n = char.ToUpperInvariant(n[0]) + n[1..];
                if (used.Add(n))
                    return n;
            }
        }
        for (int i = 0; i < 12; i++)
            Countries.Add(Name(3));
        for (int i = 0; i < 36; i++)
            Cities.Add((Name(2) + "ia", Countries[i % Countries.Count], 20_000 + r.Next(3_000_000)));
        for (int i = 0; i < 80; i++)
            People.Add(($"{Name(2)} {Name(3)}", Cities[r.Next(Cities.Count)].Name, r.Pick(Professions)));
        List<int> founders = [.. Enumerable.Range(0, People.Count)];
        r.Shuffle(founders);
        for (int i = 0; i < 30; i++)
            Companies.Add(($"{Name(2)} {r.Pick(Industries) switch { "software" => "Systems", "shipping" => "Lines", _ => "Works" }}", People[founders[i]].Name, 1850 + r.Next(170), Cities[r.Next(Cities.Count)].Name, r.Pick(Industries)));
        CultureInfo c = CultureInfo.InvariantCulture;
        int id = 0;
        string Next() => $"doc-{++id:D3}";
        foreach (string country in Countries)
            Documents.Add(new SearchDocument(Next(), country, $"{country} is a country. Its cities include {string.Join(", ", Cities.Where(x => x.Country == country).Select(x => x.Name))}."));
        foreach ((string name, string country, int population) in Cities)
            Documents.Add(new SearchDocument(Next(), name, $"{name} is a city in {country} with a population of {population.ToString(c)}."));
        foreach ((string name, string city, string profession) in People)
        {
            string founded = string.Join(" and ", Companies.Where(x => x.Founder == name).Select(x => x.Name));
            Documents.Add(new SearchDocument(Next(), name, $"{name} is a {profession} born in {city}." + (founded.Length > 0 ? $" {name} founded {founded}." : "")));
        }
        foreach ((string name, string founder, int year, string city, string industry) in Companies)
            Documents.Add(new SearchDocument(Next(), name, $"{name} is a {industry} company founded in {year.ToString(c)} by {founder}. It is headquartered in {city}."));
        Index = new Bm25Index(Documents);
    }

    /// <summary>The article titled <paramref name="title"/>.</summary>
    public SearchDocument Article(string title) => Documents.First(d => d.Title == title);
}
