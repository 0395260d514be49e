using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gym.Core;

namespace Gym.Envs.Tools.Retail;

/// <summary>
/// Customer service in the spirit of tau-bench: a shop's SQLite database (<see cref="RetailStore"/>), a written
/// policy, tools that read and change the database, and a customer behind <c>ask_user</c>: scripted and
/// deterministic (<see cref="ScriptedCustomer"/>), or played by a model (<see cref="ModelCustomer"/>). Success is the final database matching the one produced by replaying the gold actions,
/// with the required facts (order id, status, zip code) in the final answer.
/// </summary>
public sealed partial class RetailDomain : IToolDomain
{
    /// <summary>The one instance (episodes hold the state).</summary>
    public static readonly RetailDomain Instance = new();

    /// <summary>The policy every episode states.</summary>
    public const string Policy = "Policy: look the customer up by email before reading or changing their data. Only pending orders can be cancelled; " +
        "shipped and delivered orders cannot, and you must say so. Cancelling restocks the order's items. Zip codes have five digits. " +
        "End by telling the customer the outcome, naming the order id or the new zip code.";

    private static readonly string[] Mutating = ["cancel_order", "update_zip"];

    /// <inheritdoc />
    public IReadOnlyList<ToolSpec> Tools { get; } =
    [
        new("find_user_by_email", "The user id and name of the customer with this email.", Schema("""{"email": {"type": "string"}}""", "email")),
        new("get_user", "A user's details.", Schema("""{"user_id": {"type": "string"}}""", "user_id")),
        new("list_orders", "A user's orders: id, status, total.", Schema("""{"user_id": {"type": "string"}}""", "user_id")),
        new("get_order", "An order's status, total and items.", Schema("""{"order_id": {"type": "string"}}""", "order_id")),
        new("get_product", "A product's name, price and stock.", Schema("""{"product_id": {"type": "string"}}""", "product_id")),
        new("cancel_order", "Cancel a pending order (restocks its items).", Schema("""{"order_id": {"type": "string"}, "reason": {"type": "string"}}""", "order_id")),
        new("update_zip", "Change a user's zip code.", Schema("""{"user_id": {"type": "string"}, "zip": {"type": "string"}}""", "user_id", "zip")),
        new("ask_user", "Ask the customer a question; returns their reply.", Schema("""{"question": {"type": "string", "minLength": 1}}""", "question")),
    ];

    private static string Schema(string properties, params string[] required) =>
        $$"""{"type": "object", "properties": {{properties}}, "required": [{{string.Join(", ", required.Select(r => $"\"{r}\""))}}], "additionalProperties": false}""";

    /// <inheritdoc />
    public JsonObject Invoke(string name, JsonObject arguments) =>
        throw new InvalidOperationException("The retail domain keeps a database per episode: call its tools through Start(seed).");

    /// <inheritdoc />
    public ToolProblem Problem(long seed)
    {
        using RetailEpisode episode = new(seed, brief => new ScriptedCustomer(brief));
        return episode.Problem;
    }

    /// <inheritdoc />
    public IToolEpisode Start(long seed) => new RetailEpisode(seed, brief => new ScriptedCustomer(brief));

    /// <summary>An episode whose customer is made by <paramref name="customer"/> from the episode's brief.</summary>
    public IToolEpisode Start(long seed, Func<CustomerBrief, ICustomer> customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new RetailEpisode(seed, customer);
    }

    /// <summary>One customer's conversation over a fresh database.</summary>
    private sealed class RetailEpisode : IToolEpisode
    {
        private readonly RetailStore _store;
        private readonly long _seed;
        private readonly string[] _facts;
        private readonly ICustomer _customer;

        public RetailEpisode(long seed, Func<CustomerBrief, ICustomer> customer)
        {
            _seed = seed;
            _store = RetailStore.Create(seed);
            SeededRandom r = new(seed, stream: 0x5A1F);
            List<Dictionary<string, object?>> users = _store.Query("SELECT * FROM users ORDER BY id");
            Dictionary<string, object?> user = users[r.Next(users.Count)];
            string userId = (string)user["id"]!, name = (string)user["name"]!;
            string email = (string)user["email"]!;
            bool giveEmail = r.Next(2) == 0;
            List<ParsedToolCall> gold = [];
            if (!giveEmail)
                gold.Add(Call("ask_user", ("question", "What is the email address on your account?")));
            gold.Add(Call("find_user_by_email", ("email", email)));
            string intro = $"Hi, this is {name}" + (giveEmail ? $" ({email})" : "") + ". ";
            // Orders whose first item appears in no other order of the user: the customer can name them by it.
            List<(string Order, string Status, string Product)> named = [.. _store.Query(
                "SELECT o.id, o.status, p.name AS product_name FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE o.user_id = $u ORDER BY o.id, p.id", ("$u", userId))
                .GroupBy(x => (string)x["product_name"]!).Where(g => g.Count() == 1).Select(g => g.First())
                .Select(x => ((string)x["id"]!, (string)x["status"]!, (string)x["product_name"]!)).OrderBy(x => x.Item1, StringComparer.Ordinal)];
            int kind = named.Count == 0 ? 2 : r.Next(4);
            if (kind == 2)
            {
                string zip = (10000 + r.Next(89999)).ToString(CultureInfo.InvariantCulture);
                gold.Add(Call("update_zip", ("user_id", userId), ("zip", zip)));
                string moved = intro + $"I have moved; my new zip code is {zip}. Please update my account.";
                _facts = [zip];
                Problem = Make(moved, gold, $"Your zip code is now {zip}.");
                _customer = customer(new CustomerBrief(name, email, moved, zip));
                return;
            }
            (string order, string status, string product) = kind == 0 ? named.FirstOrDefault(n => n.Status == "pending") is { Order: not null } p ? p : named[0] : r.Pick(named);
            string request;
            gold.Add(Call("list_orders", ("user_id", userId)));
            gold.Add(Call("get_order", ("order_id", order)));
            if (kind is 0 or 1)
            {
                bool cancellable = status == "pending";
                if (cancellable)
                    gold.Add(Call("cancel_order", ("order_id", order), ("reason", "customer request")));
                _facts = cancellable ? [order] : [order, status];
                string said = cancellable ? $"Order {order} is cancelled." : $"Order {order} is {status} and cannot be cancelled.";
                request = intro + $"Please cancel my order with the {product}.";
                Problem = Make(request, gold, said);
            }
            else
            {
                _facts = [order, status];
                request = intro + $"What is the status of my order with the {product}?";
                Problem = Make(request, gold, $"Order {order} is {status}.");
            }
            _customer = customer(new CustomerBrief(name, email, request, product));
        }

        public ToolProblem Problem { get; }

        private ToolProblem Make(string request, List<ParsedToolCall> gold, string answer) =>
            new($"{Policy}\n\nCustomer: {request}", gold, answer, a => _facts.All(f => a.Contains(f, StringComparison.OrdinalIgnoreCase)));

        private static ParsedToolCall Call(string name, params (string Key, string Value)[] args) =>
            new(name, new JsonObject(args.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value)))));

        public JsonObject Invoke(string name, JsonObject arguments)
        {
            ValueTask<JsonObject> call = InvokeAsync(name, arguments);
            // Only a model customer completes later; synchronous callers (the MCP server) wait for it.
            return call.IsCompletedSuccessfully ? call.Result : call.AsTask().GetAwaiter().GetResult();
        }

        public async ValueTask<JsonObject> InvokeAsync(string name, JsonObject arguments, CancellationToken cancellationToken = default)
        {
            if (name != "ask_user")
                return Run(_store, name, arguments);
            string question = arguments["question"]?.GetValue<string>() ?? "";
            return new JsonObject { ["reply"] = await _customer.ReplyAsync(question, cancellationToken).ConfigureAwait(false) };
        }

        // The final database must equal a fresh one with the gold changes replayed, and the answer must state the facts.
        public bool Judge(string answer)
        {
            using RetailStore expected = RetailStore.Create(_seed);
            foreach (ParsedToolCall call in Problem.GoldCalls.Where(c => Mutating.Contains(c.Name)))
                Run(expected, call.Name, call.Arguments);
            return expected.Snapshot() == _store.Snapshot() && Problem.IsCorrect(answer);
        }

        public void Dispose() => _store.Dispose();
    }

    private static JsonObject Run(RetailStore store, string name, JsonObject args)
    {
        string Arg(string key) => args[key]?.GetValue<string>() ?? "";
        switch (name)
        {
            case "find_user_by_email":
            {
                Dictionary<string, object?> u = store.Query("SELECT id, name FROM users WHERE email = $e", ("$e", Arg("email").Trim().ToLowerInvariant())).FirstOrDefault()
                    ?? throw new ToolException($"No user has the email '{Arg("email")}'.");
                return new JsonObject { ["user_id"] = (string)u["id"]!, ["name"] = (string)u["name"]! };
            }
            case "get_user":
            {
                Dictionary<string, object?> u = store.Query("SELECT * FROM users WHERE id = $u", ("$u", Arg("user_id"))).FirstOrDefault()
                    ?? throw new ToolException($"There is no user '{Arg("user_id")}'.");
                return new JsonObject { ["user_id"] = (string)u["id"]!, ["name"] = (string)u["name"]!, ["email"] = (string)u["email"]!, ["zip"] = (string)u["zip"]! };
            }
            case "list_orders":
            {
                if (store.Scalar("SELECT COUNT(*) FROM users WHERE id = $u", ("$u", Arg("user_id"))) is long n && n == 0)
                    throw new ToolException($"There is no user '{Arg("user_id")}'.");
                JsonArray orders = [.. store.Query("SELECT id, status, total FROM orders WHERE user_id = $u ORDER BY id", ("$u", Arg("user_id")))
                    .Select(o => (JsonNode)new JsonObject { ["order_id"] = (string)o["id"]!, ["status"] = (string)o["status"]!, ["total"] = (double)o["total"]! })];
                return new JsonObject { ["orders"] = orders };
            }
            case "get_order":
            {
                Dictionary<string, object?> o = store.Query("SELECT * FROM orders WHERE id = $o", ("$o", Arg("order_id"))).FirstOrDefault()
                    ?? throw new ToolException($"There is no order '{Arg("order_id")}'.");
                JsonArray items = [.. store.Query("SELECT p.id, p.name, i.quantity FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = $o ORDER BY p.id", ("$o", Arg("order_id")))
                    .Select(i => (JsonNode)new JsonObject { ["product_id"] = (string)i["id"]!, ["name"] = (string)i["name"]!, ["quantity"] = (long)i["quantity"]! })];
                return new JsonObject { ["order_id"] = (string)o["id"]!, ["status"] = (string)o["status"]!, ["total"] = (double)o["total"]!, ["items"] = items };
            }
            case "get_product":
            {
                Dictionary<string, object?> p = store.Query("SELECT * FROM products WHERE id = $p", ("$p", Arg("product_id"))).FirstOrDefault()
                    ?? throw new ToolException($"There is no product '{Arg("product_id")}'.");
                return new JsonObject { ["product_id"] = (string)p["id"]!, ["name"] = (string)p["name"]!, ["price"] = (double)p["price"]!, ["stock"] = (long)p["stock"]! };
            }
            case "cancel_order":
            {
                string status = store.Scalar("SELECT status FROM orders WHERE id = $o", ("$o", Arg("order_id"))) as string
                    ?? throw new ToolException($"There is no order '{Arg("order_id")}'.");
                if (status != "pending")
                    throw new ToolException($"Order {Arg("order_id")} is {status}; only pending orders can be cancelled.");
                store.Execute("UPDATE orders SET status = 'cancelled' WHERE id = $o", ("$o", Arg("order_id")));
                store.Execute("UPDATE products SET stock = stock + (SELECT SUM(quantity) FROM order_items WHERE order_id = $o AND product_id = products.id) WHERE id IN (SELECT product_id FROM order_items WHERE order_id = $o)", ("$o", Arg("order_id")));
                return new JsonObject { ["order_id"] = Arg("order_id"), ["status"] = "cancelled" };
            }
            case "update_zip":
            {
                if (!Zip().IsMatch(Arg("zip")))
                    throw new ToolException($"'{Arg("zip")}' is not a five-digit zip code.");
                if (store.Execute("UPDATE users SET zip = $z WHERE id = $u", ("$z", Arg("zip")), ("$u", Arg("user_id"))) == 0)
                    throw new ToolException($"There is no user '{Arg("user_id")}'.");
                return new JsonObject { ["user_id"] = Arg("user_id"), ["zip"] = Arg("zip") };
            }
            default:
                throw new ToolException($"There is no tool '{name}'.");
        }
    }

    [GeneratedRegex(@"^\d{5}$")]
    private static partial Regex Zip();
}
