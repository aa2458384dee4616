// The live-delivery floor: a bare socket.io server (no Nest, no database) on node:http. A viewer
// subscribes exactly as to the forum (namespace /live, `subscribe` with an ack, websocket); a POST
// to /post broadcasts its JSON body to the item's room as `comment.created` {seq, comment}, the
// payload the forum sends, and answers 201. What the forum adds above this is its own cost.
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
let seq = 0;
let nextId = 1;
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/post') {
    res.writeHead(404).end();
    return;
  }
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (d) => (raw += d));
  req.on('end', () => {
    const { slug, item, comment } = JSON.parse(raw);
    seq += 1;
    const full = { ...comment, id: String(nextId++), createdAt: new Date().toISOString() };
    io.of('/live').to(`c:${slug}:i:${item}`).emit('comment.created', { seq, comment: full });
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(full));
  });
});
const io = new Server(server, { maxHttpBufferSize: 64 * 1024, pingInterval: 20_000, pingTimeout: 20_000 });
io.of('/live').on('connection', (socket) => {
  socket.on('subscribe', ({ consultation, item }, ack) => {
    socket.join(`c:${consultation}:i:${item}`);
    ack?.({ ok: true, seq });
  });
});
server.listen(port, '127.0.0.1', () => process.send?.({ kind: 'listening', port: server.address().port }));
process.on('disconnect', () => process.exit(0));
