using System.Globalization;
using System.Net;
using System.Text;

namespace Gym.Envs.Web.Sites.Shop;

/// <summary>The shop's pages as HTML.</summary>
internal static class ShopPages
{
    public const int PageSize = 10;

    private static string H(string s) => WebUtility.HtmlEncode(s);

    private static string U(string s) => WebUtility.UrlEncode(s);

    private static string Money(double price) => "$" + price.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Layout(string title, string body) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{H(title)}} - Gym Shop</title>
        <style>body { font-family: sans-serif; margin: 16px } .result { margin: 6px 0 } .price { color: #060 } nav a { margin-right: 12px } .error { color: #b00 }</style>
        </head><body>
        <nav><a href="/shop/">Gym Shop</a> <a href="/shop/cart">Cart</a></nav>
        <main>{{body}}</main></body></html>
        """;

    private static string SearchForm(string query) => $"""
        <form action="/shop/search" method="get" role="search">
          <input name="q" type="search" aria-label="Search products" value="{H(query)}"> <button type="submit">Search</button>
        </form>
        """;

    public static string Home() => Layout("Home", "<h1>Gym Shop</h1>" + SearchForm(""));

    public static string Results(string query, int page, IReadOnlyList<ShopProduct> found)
    {
        int pages = Math.Max(1, (found.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        StringBuilder sb = new(SearchForm(query));
        sb.Append($"<h1>Results for \"{H(query)}\"</h1><p>Page {page} of {pages} ({found.Count} products)</p>");
        foreach (ShopProduct p in found.Skip((page - 1) * PageSize).Take(PageSize))
            sb.Append($"<div class='result'><a href='/shop/product/{p.Id}?q={U(query)}&page={page}'>{H(p.Title)}</a> <span class='price'>{Money(p.Price)}</span></div>");
        if (page > 1)
            sb.Append($"<a href='/shop/search?q={U(query)}&page={page - 1}'>&lt; Prev</a> ");
        if (page < pages)
            sb.Append($"<a href='/shop/search?q={U(query)}&page={page + 1}'>Next &gt;</a>");
        return Layout($"Results for {query}", sb.ToString());
    }

    public static string Product(ShopProduct p, string query, int page)
    {
        StringBuilder sb = new($"<h1>{H(p.Title)}</h1><p class='price'>Price: {Money(p.Price)}</p><h2>Features</h2><ul>");
        foreach (string a in p.Attributes)
            sb.Append($"<li>{H(a)}</li>");
        sb.Append($"</ul><form method='post' action='/shop/cart'><input type='hidden' name='product' value='{p.Id}'>");
        foreach ((string kind, IReadOnlyList<string> values) in p.Options)
        {
            sb.Append($"<fieldset><legend>{H(kind)}</legend>");
            foreach (string v in values)
            {
                string id = $"o-{U(kind)}-{U(v)}";
                sb.Append($"<input type='radio' name='option_{H(kind)}' id='{H(id)}' value='{H(v)}'> <label for='{H(id)}'>{H(v)}</label> ");
            }
            sb.Append("</fieldset>");
        }
        sb.Append("<button type='submit'>Add to cart</button></form>");
        sb.Append($"<p><a href='/shop/search?q={U(query)}&page={page}'>Back to results</a></p>");
        return Layout(p.Title, sb.ToString());
    }

    public static string Cart(IReadOnlyList<CartLine> lines)
    {
        StringBuilder sb = new("<h1>Your cart</h1>");
        if (lines.Count == 0)
            sb.Append("<p>The cart is empty.</p>");
        else
        {
            sb.Append("<table><tr><th>Product</th><th>Options</th><th>Price</th><th></th></tr>");
            for (int i = 0; i < lines.Count; i++)
            {
                CartLine l = lines[i];
                string options = string.Join(", ", l.Options.Select(o => $"{o.Key}: {o.Value}"));
                sb.Append($"<tr><td>{H(l.Product.Title)}</td><td>{H(options)}</td><td>{Money(l.Product.Price)}</td>")
                  .Append($"<td><form method='post' action='/shop/cart/remove'><input type='hidden' name='line' value='{i}'><button type='submit' aria-label='Remove {H(l.Product.Title)}'>Remove</button></form></td></tr>");
            }
            sb.Append($"</table><p>Total: {Money(lines.Sum(l => l.Product.Price))}</p><p><a href='/shop/checkout'>Proceed to checkout</a></p>");
        }
        sb.Append($"<p><a href='/shop/'>Continue shopping</a></p>");
        return Layout("Cart", sb.ToString());
    }

    public static string Checkout(IReadOnlyList<CartLine> lines, string? error, string name, string address)
    {
        StringBuilder sb = new("<h1>Checkout</h1>");
        sb.Append($"<p>{lines.Count} item(s), total {Money(lines.Sum(l => l.Product.Price))}</p>");
        if (error is not null)
            sb.Append($"<p class='error' role='alert'>{H(error)}</p>");
        sb.Append($"""
            <form method='post' action='/shop/order'>
              <label for='name'>Full name</label> <input id='name' name='name' value='{H(name)}'><br>
              <label for='address'>Shipping address</label> <input id='address' name='address' value='{H(address)}'><br>
              <button type='submit'>Place order</button>
            </form>
            """);
        return Layout("Checkout", sb.ToString());
    }

    public static string Done(ShopOrder order) =>
        Layout("Thank you", $"<h1>Thank you for your order</h1><p>{order.Lines.Count} item(s) will be shipped to {H(order.Name)}, {H(order.Address)}.</p>");
}
