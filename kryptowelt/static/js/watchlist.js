// Beobachtungsliste (issue 17): coins a reader stars, kept only in this browser's
// localStorage – no cookie, and the list itself is never sent anywhere.
//
// - Star buttons: created here for every coin row of the market tables (/kurse/, the home
//   page's market box); on a coin page the button is in the markup, `hidden` until this runs.
//   Without JavaScript there is simply no star.
// - [data-watchlist] sections (/kurse/, home page) show the starred coins. Their figures come
//   from our own public coin list (/api/v1/coins/), the same request for every reader, so
//   the answer is cached and the request says nothing about which coins are starred.
//   Nothing is loaded while the list is empty.

const KEY = "kryptowelt:beobachtungsliste";
const ID_RE = /^[a-z0-9][a-z0-9-]{0,99}$/;
const MAX_COINS = 50;
const API_PAGE = 100;
const API_PAGES = 3; // the table holds the top 250 coins

function load() {
  try {
    const value = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    return Array.isArray(value) ? value.filter((id) => typeof id === "string" && ID_RE.test(id)) : [];
  } catch {
    return [];
  }
}

function save(ids) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(ids.slice(0, MAX_COINS)));
  } catch {
    // Storage switched off or full: the star simply does not stick.
  }
}

function coinIdFrom(href, marketsPath) {
  let path;
  try {
    path = new URL(href, window.location.href).pathname;
  } catch {
    return null;
  }
  if (!path.startsWith(marketsPath)) return null;
  const rest = path.slice(marketsPath.length).replace(/\/$/, "");
  return ID_RE.test(rest) ? rest : null;
}

function setPressed(button, on, name) {
  button.setAttribute("aria-pressed", on ? "true" : "false");
  button.textContent = on ? "★" : "☆";
  button.title = on ? `${name} von der Beobachtungsliste nehmen` : `${name} beobachten`;
  button.setAttribute("aria-label", button.title);
}

function toggle(id) {
  const ids = load();
  const next = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
  save(next);
  return next;
}

const euro = (digits) =>
  new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR", minimumFractionDigits: digits, maximumFractionDigits: digits });

function formatPrice(value) {
  if (value === null || value === undefined) return "–";
  const size = Math.abs(value);
  return euro(size >= 1 || size === 0 ? 2 : size >= 0.01 ? 4 : 8).format(value);
}

function formatChange(value) {
  if (value === null || value === undefined) return "–";
  const text = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(value);
  const arrow = value > 0 ? "▲ " : value < 0 ? "▼ " : "";
  return `${arrow}${text} %`;
}

let coinsPromise = null;

async function fetchCoins(apiUrl, wanted) {
  // Page through the same public list every reader gets, until every starred coin is found.
  const found = new Map();
  for (let page = 0; page < API_PAGES; page += 1) {
    const response = await fetch(`${apiUrl}?limit=${API_PAGE}&offset=${page * API_PAGE}`, {
      credentials: "omit",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) break;
    const data = await response.json();
    for (const coin of data.items || []) if (wanted.includes(coin.id)) found.set(coin.id, coin);
    if (wanted.every((id) => found.has(id)) || !data.next) break;
  }
  return found;
}

async function renderLists(marketsPath) {
  const sections = document.querySelectorAll("[data-watchlist]");
  if (!sections.length) return;
  const ids = load();
  for (const section of sections) section.hidden = ids.length === 0;
  if (!ids.length) return;
  const apiUrl = sections[0].dataset.api;
  coinsPromise = coinsPromise || fetchCoins(apiUrl, ids).catch(() => new Map());
  const coins = await coinsPromise;
  for (const section of sections) {
    const list = section.querySelector("[data-watchlist-items]");
    list.replaceChildren();
    for (const id of ids) {
      const coin = coins.get(id);
      const item = document.createElement("li");
      item.className = "watchlist__item";
      const link = document.createElement("a");
      link.href = `${marketsPath}${id}/`;
      link.textContent = coin ? coin.name : id;
      item.append(link);
      if (coin) {
        const price = document.createElement("span");
        price.className = "watchlist__price";
        price.textContent = formatPrice(coin.price_eur);
        const change = document.createElement("span");
        const up = coin.change_24h_percent > 0;
        const down = coin.change_24h_percent < 0;
        change.className = `change${up ? " change--up" : ""}${down ? " change--down" : ""}`;
        change.textContent = `${formatChange(coin.change_24h_percent)} (24 h)`;
        item.append(" ", price, " ", change);
      }
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "watch-star watch-star--remove";
      setPressed(remove, true, coin ? coin.name : id);
      remove.addEventListener("click", () => {
        toggle(id);
        syncStars();
        renderLists(marketsPath);
      });
      item.append(" ", remove);
      list.append(item);
    }
  }
}

const stars = [];

function syncStars() {
  const ids = load();
  for (const { button, id, name } of stars) setPressed(button, ids.includes(id), name);
}

function addStar(button, id, name, marketsPath) {
  stars.push({ button, id, name });
  button.addEventListener("click", () => {
    toggle(id);
    syncStars();
    coinsPromise = null;
    renderLists(marketsPath);
  });
}

function init() {
  const holder = document.querySelector("[data-markets-path]");
  const marketsPath = holder ? holder.dataset.marketsPath : "/kurse/";
  for (const row of document.querySelectorAll(".market-table tbody tr, .market-box__table tbody tr")) {
    const link = row.querySelector("a[href]");
    const id = link && coinIdFrom(link.getAttribute("href"), marketsPath);
    if (!id) continue;
    const label = link.querySelector(".coin-name") || link.querySelector("span") || link;
    const name = (label.textContent || id).trim();
    const button = document.createElement("button");
    button.type = "button";
    button.className = "watch-star";
    // Link and star side by side in the name cell (the link keeps its own layout).
    const cell = document.createElement("span");
    cell.className = "watch-cell";
    link.replaceWith(cell);
    cell.append(link, button);
    addStar(button, id, name, marketsPath);
  }
  for (const button of document.querySelectorAll("button[data-watch-coin]")) {
    const id = button.dataset.watchCoin;
    if (!ID_RE.test(id)) continue;
    button.hidden = false;
    addStar(button, id, button.dataset.watchName || id, marketsPath);
  }
  syncStars();
  renderLists(marketsPath);
  // Another tab changed the list.
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    syncStars();
    coinsPromise = null;
    renderLists(marketsPath);
  });
}

init();
