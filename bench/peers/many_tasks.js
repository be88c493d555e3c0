// W1 peer: N promises each waiting 0.1 s, awaited together.
const n = Number(process.argv[2]);
const start = process.hrtime.bigint();
const nap = () => new Promise((resolve) => setTimeout(resolve, 100));
Promise.all(Array.from({ length: n }, nap)).then(() => {
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = Math.round(process.resourceUsage().maxRSS);
  console.log(`wall ${wall.toFixed(4)} rss_kib ${rss}`);
});
