// Turns an author and their articles into the profile summary the API returns.
function firstSentence(text) {
  return text.split(/[.!?]/)[0].trim();
}

function describeBio(author) {
  return { headline: firstSentence(author.bio), words: author.bio.split(/\s+/).length };
}

function summarize(author, articles) {
  const tags = [...new Set(articles.map((a) => a.tag))].sort();
  return { name: author.name, ...describeBio(author), articles: articles.length, tags };
}

module.exports = { summarize };
