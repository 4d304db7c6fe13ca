# A throwaway Git smart-HTTP server for end-to-end tests: nginx + fcgiwrap +
# `git http-backend` (Debian packages), on 127.0.0.1 and a free high port, with
# its own config, sockets, logs and pid files under one directory. No system
# service is touched. Repositories live in $HTTP_ROOT/repos/NAME.git and are
# reached at $HTTP_URL/NAME.git; pushes authenticate as REMOTE_USER=alice.

http_find() { # NAME: the program's path (sbin directories included) or fail
	PATH=$PATH:/usr/sbin:/sbin command -v "$1"
}

# http_start DIR: starts the server below DIR; sets HTTP_ROOT, HTTP_URL.
http_start() {
	HTTP_ROOT=$1
	local nginx fcgiwrap backend port i
	nginx=$(http_find nginx) || { echo "nginx is not installed (run ./install.sh)"; return 1; }
	fcgiwrap=$(http_find fcgiwrap) || { echo "fcgiwrap is not installed (run ./install.sh)"; return 1; }
	# http_stop needs ps to see the daemons end; without it they would outlive the test.
	command -v ps >/dev/null || { echo "ps is not installed (procps; run ./install.sh)"; return 1; }
	backend=$(git --exec-path)/git-http-backend
	[[ -x $backend ]] || { echo "no $backend"; return 1; }
	mkdir -p "$HTTP_ROOT"/{repos,tmp,logs,home,bin}
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

	# fcgiwrap runs git-http-backend with the FastCGI parameters as its only environment.
	# Detached (the subshell exits, so it is not our child to reap) in its own session
	# (setsid) so that stopping it by its pid also ends its workers; fd 3 closed so
	# that bats does not wait for the daemons.
	(
		setsid "$fcgiwrap" -c 2 -s "unix:$HTTP_ROOT/fcgiwrap.sock" -p "$backend" \
			</dev/null >"$HTTP_ROOT/logs/fcgiwrap.log" 2>&1 3>&- &
		echo $! >"$HTTP_ROOT/fcgiwrap.pid"
	)

	cat >"$HTTP_ROOT/nginx.conf" <<CONF
$( ((EUID == 0)) && echo "user root;")
worker_processes 1;
pid $HTTP_ROOT/nginx.pid;
error_log $HTTP_ROOT/logs/error.log warn;
events { worker_connections 64; }
http {
	access_log $HTTP_ROOT/logs/access.log;
	client_body_temp_path $HTTP_ROOT/tmp/body;
	proxy_temp_path $HTTP_ROOT/tmp/proxy;
	fastcgi_temp_path $HTTP_ROOT/tmp/fastcgi;
	uwsgi_temp_path $HTTP_ROOT/tmp/uwsgi;
	scgi_temp_path $HTTP_ROOT/tmp/scgi;
	client_max_body_size 0;
	server {
		listen 127.0.0.1:$port;
		location / {
			fastcgi_pass unix:$HTTP_ROOT/fcgiwrap.sock;
			fastcgi_param SCRIPT_FILENAME $backend;
			fastcgi_param QUERY_STRING \$query_string;
			fastcgi_param REQUEST_METHOD \$request_method;
			fastcgi_param CONTENT_TYPE \$content_type;
			fastcgi_param CONTENT_LENGTH \$content_length;
			fastcgi_param PATH_INFO \$uri;
			fastcgi_param REMOTE_ADDR \$remote_addr;
			fastcgi_param REMOTE_USER alice;
			fastcgi_param GIT_PROJECT_ROOT $HTTP_ROOT/repos;
			fastcgi_param GIT_HTTP_EXPORT_ALL 1;
			fastcgi_param GIT_CONFIG_NOSYSTEM 1;
			fastcgi_param HOME $HTTP_ROOT/home;
			fastcgi_param PATH $HTTP_ROOT/bin:/usr/local/bin:/usr/bin:/bin;
		}
	}
}
CONF
	"$nginx" -p "$HTTP_ROOT" -c "$HTTP_ROOT/nginx.conf" -e "$HTTP_ROOT/logs/error.log" \
		</dev/null 3>&- || { cat "$HTTP_ROOT/logs/error.log"; return 1; }
	HTTP_URL="http://127.0.0.1:$port"
	export HTTP_ROOT HTTP_URL
	for ((i = 0; i < 100; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ -S $HTTP_ROOT/fcgiwrap.sock ]] && return 0
		sleep 0.05
	done
	echo "the test HTTP server did not come up on port $port"
	cat "$HTTP_ROOT/logs/error.log" "$HTTP_ROOT/logs/fcgiwrap.log"
	return 1
}

# http_group_alive PGID: some process of the group still runs (zombies, which a
# slow init may leave for seconds, do not count).
http_group_alive() {
	ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ {found = 1} END {exit !found}'
}

# http_stop: stops what http_start started, by the process groups it recorded (both
# daemons lead their own: nginx daemonizes, fcgiwrap runs under setsid), and removes
# HTTP_ROOT. A test server keeps nothing worth a graceful shutdown: TERM, then KILL.
http_stop() {
	[[ -n ${HTTP_ROOT:-} && -d $HTTP_ROOT ]] || return 0
	local f pgid i
	for f in nginx fcgiwrap; do
		[[ -s $HTTP_ROOT/$f.pid ]] || continue
		pgid=$(<"$HTTP_ROOT/$f.pid")
		kill -TERM -- "-$pgid" 2>/dev/null
		for ((i = 0; i < 40; i++)); do
			http_group_alive "$pgid" || break
			((i == 4)) && kill -KILL -- "-$pgid" 2>/dev/null
			sleep 0.05
		done
	done
	rm -rf "$HTTP_ROOT"
}

# http_new_repo NAME: an empty bare repository that accepts pushes over HTTP.
http_new_repo() {
	local dir=$HTTP_ROOT/repos/$1.git
	git init -q --bare "$dir"
	git -C "$dir" config http.receivepack true
	echo "$dir"
}

# http_dispatcher BARE DIR: makes BARE's hooks/pre-receive run every executable
# in DIR (relative to BARE) with the same stdin, in name order, skipping editor
# backups (*~), rejecting when any of them fails: what GitLab does for
# custom_hooks/pre-receive.d and Gitea/Forgejo for hooks/pre-receive.d. With
# GITLAB=1 it also sets the variables Gitaly gives custom hooks.
http_dispatcher() {
	local bare=$1 dir=$2
	mkdir -p "$bare/$dir"
	cat >"$bare/hooks/pre-receive" <<HOOK
#!/usr/bin/env bash
${GITLAB:+export GL_USERNAME=\$REMOTE_USER GL_ID=user-1 GL_PROTOCOL=http GL_REPOSITORY=project-1}
input=\$(cat)
status=0
for hook in "$dir"/*; do
	[[ -f \$hook && -x \$hook && \$hook != *~ ]] || continue
	printf '%s\n' "\$input" | "\$hook" || status=1
done
exit \$status
HOOK
	chmod +x "$bare/hooks/pre-receive"
}
