using System.Globalization;
using System.Text;
using Gym.Core;
using Microsoft.Data.Sqlite;

namespace Gym.Envs.Tools.Retail;

/// <summary>
/// A shop's database in SQLite (in memory, one per episode): users, products with stock, orders with a status and
/// their items, all generated from a seed. The same seed always gives the same rows.
/// </summary>
public sealed class RetailStore : IDisposable
{
    private static readonly string[] FirstNames = ["Ada", "Bruno", "Chen", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Mateo", "Nora", "Omar", "Priya"];
    private static readonly string[] LastNames = ["Lind", "Okafor", "Rossi", "Tanaka", "Weber", "Silva", "Novak", "Haddad", "Moreau", "Kowalski"];
    private static readonly string[] Items = ["desk lamp", "water bottle", "backpack", "keyboard", "teapot", "yoga mat", "headphones", "notebook", "umbrella", "coffee grinder", "wall clock", "phone case"];
    private static readonly string[] Statuses = ["pending", "pending", "shipped", "delivered"];

    private RetailStore(SqliteConnection connection) => Connection = connection;

    /// <summary>The open connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>A new database with the rows of <paramref name="seed"/>.</summary>
    public static RetailStore Create(long seed)
    {
        SqliteConnection connection = new("Data Source=:memory:");
        connection.Open();
        RetailStore store = new(connection);
        store.Execute("""
            CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, zip TEXT NOT NULL);
            CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL, stock INTEGER NOT NULL);
            CREATE TABLE orders (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), status TEXT NOT NULL, total REAL NOT NULL);
            CREATE TABLE order_items (order_id TEXT NOT NULL REFERENCES orders(id), product_id TEXT NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL);
            """);
        SeededRandom r = new(seed, stream: 0x5A1E);
        CultureInfo c = CultureInfo.InvariantCulture;
        for (int i = 0; i < Items.Length; i++)
            store.Execute("INSERT INTO products VALUES ($id, $name, $price, $stock)", ("$id", $"P{i + 1:D3}"), ("$name", Items[i]), ("$price", (5 + r.Next(200)) + 0.99), ("$stock", 3 + r.Next(30)));
        for (int u = 0; u < 12; u++)
        {
            string first = FirstNames[(u + r.Next(FirstNames.Length)) % FirstNames.Length], last = r.Pick(LastNames);
            string id = $"U{u + 1:D3}";
            store.Execute("INSERT INTO users VALUES ($id, $name, $email, $zip)", ("$id", id), ("$name", $"{first} {last}"),
                ("$email", $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{u + 1}@example.com"), ("$zip", (10000 + r.Next(89999)).ToString(c)));
            for (int o = 0; o < 3; o++)
            {
                string order = $"W{u + 1:D3}{o + 1}";
                int a = r.Next(Items.Length), b = (a + 1 + r.Next(Items.Length - 1)) % Items.Length;
                int qa = 1 + r.Next(2), qb = 1 + r.Next(2);
                double total = qa * store.Price(a) + qb * store.Price(b);
                store.Execute("INSERT INTO orders VALUES ($id, $user, $status, $total)", ("$id", order), ("$user", id), ("$status", r.Pick(Statuses)), ("$total", Math.Round(total, 2)));
                store.Execute("INSERT INTO order_items VALUES ($o, $p, $q)", ("$o", order), ("$p", $"P{a + 1:D3}"), ("$q", qa));
                store.Execute("INSERT INTO order_items VALUES ($o, $p, $q)", ("$o", order), ("$p", $"P{b + 1:D3}"), ("$q", qb));
            }
        }
        return store;
    }

    private double Price(int product) => Convert.ToDouble(Scalar("SELECT price FROM products WHERE id = $id", ("$id", $"P{product + 1:D3}")), CultureInfo.InvariantCulture);

    /// <summary>Runs a statement.</summary>
    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, or null.</summary>
    public object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    /// <summary>Rows as column-name dictionaries.</summary>
    public List<Dictionary<string, object?>> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        List<Dictionary<string, object?>> rows = [];
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        return rows;
    }

    /// <summary>Every row of every table, in a canonical text form (to compare final states).</summary>
    public string Snapshot()
    {
        StringBuilder sb = new();
        foreach (string table in new[] { "users", "products", "orders", "order_items" })
        {
            foreach (Dictionary<string, object?> row in Query($"SELECT * FROM {table} ORDER BY 1, 2"))
                sb.Append(table).Append(": ").AppendJoin(" | ", row.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")).Append('\n');
        }
        return sb.ToString();
    }

    private SqliteCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        SqliteCommand command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();
}
