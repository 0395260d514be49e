using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gym.Envs.Web.Sites.Shop;

/// <summary>The shop's routes, under <c>/shop/{session}/</c>: home, search, product, cart, checkout, order.</summary>
internal static class ShopRoutes
{
    public static void Map(WebApplication app, ShopCatalog catalog, ShopSessions sessions)
    {
        static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");
        app.MapGet("/shop/{sid}/", (string sid) => Html(ShopPages.Home(sid)));
        app.MapGet("/shop/{sid}/search", (string sid, string? q, int? page) =>
            Html(ShopPages.Results(sid, q ?? "", page ?? 1, catalog.Search(q ?? ""))));
        app.MapGet("/shop/{sid}/product/{id}", (string sid, string id, string? q, int? page) =>
            catalog.Find(id) is { } product ? Html(ShopPages.Product(sid, product, q ?? "", page ?? 1)) : Results.NotFound($"There is no product {id}."));
        app.MapPost("/shop/{sid}/cart", async (string sid, HttpRequest request) =>
        {
            IFormCollection form = await request.ReadFormAsync().ConfigureAwait(false);
            if (catalog.Find(form["product"].ToString()) is not { } product)
                return Results.BadRequest("No such product.");
            Dictionary<string, string> options = product.Options.Keys
                .Where(k => product.Options[k].Contains(form[$"option_{k}"].ToString()))
                .ToDictionary(k => k, k => form[$"option_{k}"].ToString());
            sessions.Get(sid).Add(new CartLine(product, options));
            return Results.Redirect($"/shop/{sid}/cart");
        });
        app.MapPost("/shop/{sid}/cart/remove", async (string sid, HttpRequest request) =>
        {
            IFormCollection form = await request.ReadFormAsync().ConfigureAwait(false);
            if (int.TryParse(form["line"], out int line))
                sessions.Get(sid).Remove(line);
            return Results.Redirect($"/shop/{sid}/cart");
        });
        app.MapGet("/shop/{sid}/cart", (string sid) => Html(ShopPages.Cart(sid, sessions.Get(sid).Cart)));
        app.MapGet("/shop/{sid}/checkout", (string sid) => Html(ShopPages.Checkout(sid, sessions.Get(sid).Cart, null, "", "")));
        app.MapPost("/shop/{sid}/order", async (string sid, HttpRequest request) =>
        {
            IFormCollection form = await request.ReadFormAsync().ConfigureAwait(false);
            ShopSession session = sessions.Get(sid);
            string name = form["name"].ToString().Trim(), address = form["address"].ToString().Trim();
            // Validated on the server, as a real shop does: the page shows what is wrong and keeps what was typed.
            string? error = session.Cart.Count == 0 ? "Your cart is empty."
                : name.Length < 2 ? "Please enter your full name."
                : address.Length < 5 ? "Please enter a shipping address."
                : null;
            return error is not null
                ? Html(ShopPages.Checkout(sid, session.Cart, error, name, address))
                : Html(ShopPages.Done(sid, session.PlaceOrder(name, address)));
        });
    }
}
