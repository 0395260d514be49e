using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gym.Envs.Web.Sites.Shop;

/// <summary>The shop's routes, under <c>/shop/</c> (the visitor's cart and order by <see cref="SiteSession"/>): home, search, product, cart, checkout, order.</summary>
internal static class ShopRoutes
{
    public static void Map(WebApplication app, ShopCatalog catalog, ShopSessions sessions)
    {
        static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");
        app.MapGet("/shop/", () => Html(ShopPages.Home()));
        app.MapGet("/shop/search", (string? q, int? page) =>
            Html(ShopPages.Results(q ?? "", page ?? 1, catalog.Search(q ?? ""))));
        app.MapGet("/shop/product/{id}", (string id, string? q, int? page) =>
            catalog.Find(id) is { } product ? Html(ShopPages.Product(product, q ?? "", page ?? 1)) : Results.NotFound($"There is no product {id}."));
        app.MapPost("/shop/cart", async (HttpContext http) =>
        {
            string sid = SiteSession.Id(http);
            HttpRequest request = http.Request;
            IFormCollection form = await request.ReadFormAsync().ConfigureAwait(false);
            if (catalog.Find(form["product"].ToString()) is not { } product)
                return Results.BadRequest("No such product.");
            Dictionary<string, string> options = product.Options.Keys
                .Where(k => product.Options[k].Contains(form[$"option_{k}"].ToString()))
                .ToDictionary(k => k, k => form[$"option_{k}"].ToString());
            sessions.Get(sid).Add(new CartLine(product, options));
            return Results.Redirect("/shop/cart");
        });
        app.MapPost("/shop/cart/remove", async (HttpContext http) =>
        {
            string sid = SiteSession.Id(http);
            HttpRequest request = http.Request;
            IFormCollection form = await request.ReadFormAsync().ConfigureAwait(false);
            if (int.TryParse(form["line"], out int line))
                sessions.Get(sid).Remove(line);
            return Results.Redirect("/shop/cart");
        });
        app.MapGet("/shop/cart", (HttpContext http) => Html(ShopPages.Cart(sessions.Get(SiteSession.Id(http)).Cart)));
        app.MapGet("/shop/checkout", (HttpContext http) => Html(ShopPages.Checkout(sessions.Get(SiteSession.Id(http)).Cart, null, "", "")));
        app.MapPost("/shop/order", async (HttpContext http) =>
        {
            string sid = SiteSession.Id(http);
            HttpRequest request = http.Request;
            IFormCollection form = await request.ReadFormAsync().ConfigureAwait(false);
            ShopSession session = sessions.Get(sid);
            string name = form["name"].ToString().Trim(), address = form["address"].ToString().Trim();
            // Validated on the server, as a real shop does: the page shows what is wrong and keeps what was typed.
            string? error = session.Cart.Count == 0 ? "Your cart is empty."
                : name.Length < 2 ? "Please enter your full name."
                : address.Length < 5 ? "Please enter a shipping address."
                : null;
            return error is not null
                ? Html(ShopPages.Checkout(session.Cart, error, name, address))
                : Html(ShopPages.Done(session.PlaceOrder(name, address)));
        });
    }
}
