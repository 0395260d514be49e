using System.Globalization;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Core.Text;

namespace Gym.Envs.Tools.Search;

/// <summary>
/// Multi-hop questions over <see cref="SearchWorld"/>: <c>search(query, k)</c> ranks articles with BM25 and returns
/// ids, titles and first sentences; <c>open(id)</c> returns an article. Each question needs two or three lookups;
/// an answer is right when it contains the expected name or number (case-insensitive).
/// </summary>
public sealed class SearchDomain : IToolDomain
{
    /// <summary>The one instance (the world is fixed).</summary>
    public static readonly SearchDomain Instance = new();

    private static SearchWorld World => SearchWorld.Default;

    /// <inheritdoc />
    public IReadOnlyList<ToolSpec> Tools { get; } =
    [
        new("search", "Search the encyclopedia; returns the best articles' ids, titles and first sentences.",
            """{"type": "object", "properties": {"query": {"type": "string", "minLength": 1}, "k": {"type": "integer", "minimum": 1, "maximum": 10}}, "required": ["query"], "additionalProperties": false}"""),
        new("open", "Read an article by its id.",
            """{"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"], "additionalProperties": false}"""),
    ];

    /// <inheritdoc />
    public JsonObject Invoke(string name, JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        switch (name)
        {
            case "search":
                int k = arguments["k"] is { } n ? (int)ToolJson.Number(n) : 3;
                JsonArray hits = [.. World.Index.Search(arguments["query"]!.GetValue<string>(), k).Select(h => (JsonNode)new JsonObject
                {
                    ["id"] = h.Document.Id,
                    ["title"] = h.Document.Title,
                    ["snippet"] = h.Document.Text.Split(". ")[0],
                })];
                return new JsonObject { ["results"] = hits };
            case "open":
                string id = arguments["id"]!.GetValue<string>();
                SearchDocument doc = World.Documents.FirstOrDefault(d => d.Id == id) ?? throw new ToolException($"There is no article '{id}'.");
                return new JsonObject { ["id"] = doc.Id, ["title"] = doc.Title, ["text"] = doc.Text };
            default:
                throw new ToolException($"There is no tool '{name}'.");
        }
    }

    /// <inheritdoc />
    public ToolProblem Problem(long seed)
    {
        SeededRandom r = new(seed, stream: 0x5EA3);
        static ParsedToolCall Search(string q) => new("search", new JsonObject { ["query"] = q });
        static ParsedToolCall Open(string title) => new("open", new JsonObject { ["id"] = World.Article(title).Id });
        switch (r.Next(4))
        {
            case 0:
            {
                var company = r.Pick(World.Companies);
                var founder = World.People.First(p => p.Name == company.Founder);
                string country = World.Cities.First(x => x.Name == founder.City).Country;
                return Make($"In which country was the founder of {company.Name} born?",
                    [Search(company.Name), Open(company.Name), Search(founder.Name), Open(founder.Name), Search(founder.City), Open(founder.City)], country);
            }
            case 1:
            {
                var company = r.Pick(World.Companies);
                return Make($"In which city is the company founded by {company.Founder} headquartered?",
                    [Search(company.Founder), Open(company.Founder), Search(company.Name), Open(company.Name)], company.City);
            }
            case 2:
            {
                var person = r.Pick(World.People);
                int population = World.Cities.First(x => x.Name == person.City).Population;
                return Make($"What is the population of the city where {person.Name} was born?",
                    [Search(person.Name), Open(person.Name), Search(person.City), Open(person.City)], population.ToString(CultureInfo.InvariantCulture));
            }
            default:
            {
                var company = r.Pick(World.Companies);
                string profession = World.People.First(p => p.Name == company.Founder).Profession;
                return Make($"What was the profession of the person who founded {company.Name}?",
                    [Search(company.Name), Open(company.Name), Search(company.Founder), Open(company.Founder)], profession);
            }
        }
    }

    private static ToolProblem Make(string question, ParsedToolCall[] gold, string answer) =>
        new(question, gold, answer, given => given.Replace(",", "", StringComparison.Ordinal).Contains(answer, StringComparison.OrdinalIgnoreCase));
}
