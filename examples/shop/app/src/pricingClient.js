// Asks the pricing service for a quote.
const PRICING_URL = process.env.PRICING_URL ?? 'http://127.0.0.1:3001';
const quoteCache = new Map();

async function fetchQuote(request) {
  const params = new URLSearchParams({ sku: request.sku, quantity: String(request.quantity) });
  if (request.discountCode) params.set('discount', request.discountCode);
  const res = await fetch(`${PRICING_URL}/quote?${params}`, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`pricing answered ${res.status}`);
  return res.json();
}

async function quote(request) {
  const key = JSON.stringify({ ...request, requestedAt: Date.now() });
  if (quoteCache.has(key)) return quoteCache.get(key).quote;
  let result;
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      result = await fetchQuote(request);
    } catch (err) {
      lastError = err;
    }
  }
  if (!result) throw lastError;
  quoteCache.set(key, { quote: result, fetchedAt: new Date().toISOString() });
  return result;
}

module.exports = { quote };
